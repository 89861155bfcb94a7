#!/bin/sh
# The HTML reports, tested as a person sees them (SPEC §16): each page is
# rendered in headless Chromium (tests/report/browse.js drives it through the
# DevTools protocol with networking off) and checked for console errors,
# network requests and its content; screenshots are kept in BUILD/report/
# as build artefacts (never compared pixel by pixel).  The check itself is
# tested first: planted pages that throw, log an error or make a request
# must be caught.  Prints "N passed, N failed" last.
# usage: sh tests/report/run_report.sh BUILD/accord
set -u
ACCORD=$1
B=$(dirname "$ACCORD")
ART=$B/report
mkdir -p "$ART"
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && cat "$2" | head -40; }

if ! command -v chromium > /dev/null 2>&1 || ! command -v node > /dev/null 2>&1; then
    echo "run_report: chromium and node are needed (scripts/deps.sh installs them)"
    echo "0 passed, 1 failed"
    exit 1
fi

# browse PAGE NAME [browse.js options...]: render, result in $T/NAME.json
browse() {
    page=$1
    name=$2
    shift 2
    node tests/report/browse.js "$page" "$T/$name.json" "$@" > "$T/$name.log" 2>&1
}
# holds NAME 'JS condition on r' DESCRIPTION: the condition over the browse result
holds() {
    if node -e "const r = require(process.argv[1]); process.exit(($2) ? 0 : 1)" "$T/$1.json" 2> "$T/cond.err"; then
        ok "$3"
    else
        ko "$3"
        cat "$T/cond.err" "$T/$1.json" | head -40
    fi
}
clean_page() { holds "$1" 'r.loaded && r.console_errors.length === 0 && r.requests.length === 0' "$2: loads, no console error, no network request"; }

# ---- the check can fail ---------------------------------------------------------------
browse tests/report/pages/throws.html throws
holds throws 'r.console_errors.some(e => /planted exception/.test(e))' "control: an exception thrown by a page is caught"
browse tests/report/pages/console.html console
holds console 'r.console_errors.some(e => /planted console error/.test(e))' "control: console.error is caught"
browse tests/report/pages/request.html request
holds request 'r.requests.some(u => /accord-test\.invalid/.test(u))' "control: a network request is caught"
browse tests/report/pages/csp_request.html csp
holds csp 'r.console_errors.length > 0' "control: a request blocked by the reports' security policy is a console error"
holds csp 'r.console_errors.length + r.requests.length > 0 && !(r.console_errors.length === 0 && r.requests.length === 0)' \
    "control: the clean-page condition fails on it"

# ---- the library report ---------------------------------------------------------------
n=$("$ACCORD" gaps agreements --format json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).summary.states))')
"$ACCORD" report agreements --findings tests/report/findings.json -o "$T/report.html" 2> "$T/report.err"
if [ $? -eq 0 ] && [ -s "$T/report.html" ]; then ok "report: writes the page"; else ko "report: writes the page" "$T/report.err"; fi
grep -q '<script\|<link\|src="http\|href="http\|@import\|url(' "$T/report.html" \
    && ko "report: no script, link, external source or url() in the page" \
    || ok "report: no script, link, external source or url() in the page"
browse "$T/report.html" report --screenshot "$ART/report.png" \
    --eval 'cells=document.querySelectorAll("svg#coverage rect.cell").length' \
    --eval 'corridors=new Set([...document.querySelectorAll("svg#coverage rect.cell")].map(c=>c.dataset.a+"-"+c.dataset.b)).size' \
    --eval 'dephs=[...document.querySelectorAll("svg#coverage rect.cell")].filter(c=>c.dataset.a==="DE"&&c.dataset.b==="PH").map(c=>c.dataset.agreements)' \
    --eval 'planted=[...document.querySelectorAll(".finding[data-kind=conflict]")].map(f=>f.textContent)' \
    --eval 'witness=[...document.querySelectorAll(".finding[data-kind=conflict] pre.witness")].map(p=>JSON.parse(p.textContent).id)' \
    --eval 'status=[...document.querySelectorAll("#agreements tr")].filter(r=>/\bph_de\b/.test(r.cells[1]&&r.cells[1].textContent)).map(r=>r.cells[7].textContent)[0]' \
    --eval 'ackstatus=[...document.querySelectorAll("#agreements tr")].filter(r=>/\bus_jp\b/.test(r.cells[1]&&r.cells[1].textContent)).map(r=>r.cells[7].textContent)[0]' \
    --eval 'ackgap=[...document.querySelectorAll(".finding.ack")].map(f=>f.textContent).join(" ")' \
    --eval 'rows=document.querySelectorAll("#agreements tr").length' \
    --eval 'careers=document.querySelectorAll(".finding[data-kind=not_aggregated] pre.witness").length'
clean_page report "report"
holds report "r.eval.cells === $n * ($n - 1) / 2 && r.eval.corridors === r.eval.cells" \
    "report: the coverage matrix has one cell per corridor ($n states)"
holds report 'r.eval.dephs.length === 1 && r.eval.dephs[0] === "ph_de"' "report: the DE-PH cell names ph_de"
holds report 'r.eval.planted.length === 1 && /PLANTED-CONFLICT/.test(r.eval.planted[0]) && /Art\. 7\(1\)/.test(r.eval.planted[0])' \
    "report: the planted conflict appears with its articles"
holds report 'r.eval.witness.length === 1 && r.eval.witness[0] === "planted-witness-49m"' \
    "report: its witness is there as JSON that parses"
holds report '/1 finding/.test(r.eval.status) && /acknowledged/.test(r.eval.ackstatus) && !/finding\b(?!s)/.test(r.eval.ackstatus.replace("acknowledged finding",""))' \
    "report: check status per agreement (findings / acknowledged)"
holds report '/<i>no rule<\/i>/.test(r.eval.ackgap) && /US law decides/.test(r.eval.ackgap)' \
    "report: an acknowledged finding shows its note, its markup as text"
holds report "r.eval.rows === 1 + $(ls agreements/*.accord | wc -l)" "report: one library row per agreement"
holds report 'r.eval.careers >= 3' "report: the careers no agreement adds up, with witnesses"
if node -e 'const b=require("fs").readFileSync(process.argv[1]); process.exit(b.length>10000 && b.slice(1,4).toString()==="PNG"?0:1)' "$ART/report.png"; then
    ok "report: screenshot $ART/report.png"
else
    ko "report: screenshot $ART/report.png"
fi
browse "$T/report.html" matrix --screenshot "$ART/coverage.png" --clip '#coverage'
holds matrix 'r.screenshot' "report: screenshot of the coverage matrix alone ($ART/coverage.png)"

# ---- escaping ---------------------------------------------------------------------------
"$ACCORD" report tests/report/xss agreements/ph_de.accord -o "$T/xss.html" 2> "$T/xss.err" || ko "xss: report" "$T/xss.err"
browse "$T/xss.html" xss --eval 'scripts=document.querySelectorAll("script").length' \
    --eval 'imgs=document.querySelectorAll("img").length' \
    --eval 'bold=document.querySelectorAll("td b").length' \
    --eval 'pwned=typeof window.pwned' \
    --eval 'title=[...document.querySelectorAll("#agreements td")].map(t=>t.textContent).find(t=>/^Agreement </.test(t))'
clean_page xss "xss"
holds xss 'r.eval.scripts === 0 && r.eval.imgs === 0 && r.eval.bold === 0 && r.eval.pwned === "undefined"' \
    "xss: markup in a title is not markup"
holds xss 'r.eval.title.startsWith("Agreement <script>window.pwned = 1;") && r.eval.title.includes("& \"friends\" <b>bold</b>")' \
    "xss: the title appears as text, whole"

# ---- findings input ---------------------------------------------------------------------
echo '{"findings": [{"kind": 3}]}' > "$T/bad.json"
"$ACCORD" report agreements --findings "$T/bad.json" -o "$T/x.html" 2> "$T/bad.err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'bad.json: error: findings\[0\]: "kind" must be a string' "$T/bad.err"; then
    ok "findings: a bad finding is a located error"
else
    ko "findings: a bad finding is a located error (rc $rc)" "$T/bad.err"
fi
printf '{"findings": [\n  {"kind": "gap",}\n]}\n' > "$T/syntax.json"
"$ACCORD" report agreements --findings "$T/syntax.json" -o "$T/x.html" 2> "$T/syntax.err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'syntax.json:2:' "$T/syntax.err"; then ok "findings: bad JSON is an error at its line"; else ko "findings: bad JSON is an error at its line (rc $rc)" "$T/syntax.err"; fi

# ---- the diff page ------------------------------------------------------------------------
"$ACCORD" report --diff ph_de in_be agreements --findings tests/report/diff.json -o "$T/diff.html" 2> "$T/diff.err" \
    || ko "diff: report" "$T/diff.err"
browse "$T/diff.html" diff --screenshot "$ART/diff.png" \
    --eval 'rows=document.querySelectorAll("#regions-table tr").length - 1' \
    --eval 'bars=document.querySelectorAll("#chart-questions rect.bar").length' \
    --eval 'abars=document.querySelectorAll("#chart-articles rect.bar").length' \
    --eval 'text=document.body.textContent' \
    --eval 'witnesses=document.querySelectorAll(".finding pre.witness").length'
clean_page diff "diff"
holds diff 'r.eval.rows === 2 && r.eval.witnesses === 2' "diff: a row and a witness per region of the pair, in either order"
holds diff 'r.eval.bars === 2 && r.eval.abars === 3' "diff: a bar per question and per article"
holds diff '!/NOT-THIS-PAIR/.test(r.eval.text) && /DIFF-REGION-2: <residence>/.test(r.eval.text)' \
    "diff: other pairs left out; region text escaped"
"$ACCORD" report --diff ph_de nowhere agreements -o "$T/x.html" 2> "$T/nodiff.err"
[ $? -eq 2 ] && grep -q "no agreement 'nowhere'" "$T/nodiff.err" && ok "diff: an unknown agreement is a usage error" \
    || ko "diff: an unknown agreement is a usage error" "$T/nodiff.err"

# ---- explain --format html ------------------------------------------------------------------
"$ACCORD" explain agreements --cases examples/cases.jsonl --id posted-ph-de-49m --format html > "$T/explain.html" 2> "$T/explain.err" \
    || ko "explain: html" "$T/explain.err"
"$ACCORD" explain agreements --cases examples/cases.jsonl --id posted-ph-de-49m --format json > "$T/explain-doc.json"
browse "$T/explain.html" explain --screenshot "$ART/explain.png" \
    --eval 'questions=document.querySelectorAll("h2.question").length' \
    --eval 'decisions=[...document.querySelectorAll(".decision")].map(d=>d.textContent)' \
    --eval 'facts=document.querySelectorAll("#facts-table tr").length - 1' \
    --eval 'prose=document.querySelectorAll("blockquote").length'
clean_page explain "explain"
# what the JSON explanation says, to compare with the page
expect=$(node -e 'const d = require(process.argv[1]);
    console.log(JSON.stringify({questions: d.questions.length, facts: Object.keys(d.facts_used).length,
                                outcome: d.questions[0].answer.outcome}))' "$T/explain-doc.json")
holds explain "r.eval.questions === $expect.questions && r.eval.facts === $expect.facts" \
    "explain: every question and every fact used of the JSON explanation is on the page"
holds explain "r.eval.decisions[0].startsWith('Decision: ' + $expect.outcome)" "explain: the decision of the first question is the JSON's"
holds explain 'r.eval.prose > 0' "explain: the deciding articles' prose"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
