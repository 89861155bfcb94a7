/* eval.c - selection, precedence, batch evaluation and explanations; see eval.h. */
#include "eval.h"
#include "accord_rt.h"
#include "diag.h"
#include "iso.h"
#include "native.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Worker {
    Interp *in[EVAL_MAX_AGREEMENTS];
    Arena arena;
    const Value *packed_for; /* the case packed for compiled code, and where */
    void *packed;
} Worker;

/* Where the facts that involve a state sit in the case (SPEC §12.2);
 * -1 when a custom prelude lacks one. */
typedef struct CaseMap {
    int date, person, nationalities, residence, activities, a_state, a_seat, a_flag, a_base, a_posting, p_sending,
        periods, pe_state, claim, c_residence, unemp, armed, exception;
} CaseMap;

struct Engine {
    const Loaded *lib;
    const IrVocabulary *voc;
    EvalOptions opt;
    int nag;
    const IrAgreement *ag[EVAL_MAX_AGREEMENTS];
    QSpec *qs;
    int nq;
    Value (*qargs)[8];       /* parsed explicit arguments per QSpec */
    CaseMap m;
    int nworkers;
    Worker *w;
    /* compiled evaluators (SPEC §14), built on first use; NULL entries with
     * opt.interp, or when compiling failed (the interpreter then answers) */
    Layout *lay;
    Native *nat[EVAL_MAX_AGREEMENTS];
    bool nat_tried[EVAL_MAX_AGREEMENTS];
    pthread_mutex_t nat_lock[EVAL_MAX_AGREEMENTS]; /* one per agreement: workers compile different ones at once */
    bool traced;             /* compile traced entry points too (explain) */
    Arena lay_arena;
};

/* The compiled evaluator of agreement i, compiled the first time a case
 * needs it (compiling an agreement costs far more than deciding a case). */
static Native *native_of(Engine *e, int i) {
    if (e->opt.interp) return NULL;
    if (__atomic_load_n(&e->nat_tried[i], __ATOMIC_ACQUIRE)) return e->nat[i];
    pthread_mutex_lock(&e->nat_lock[i]);
    if (!e->nat_tried[i]) {
        char err[512];
        e->nat[i] = native_new(e->ag[i], e->lay, e->lib->cx, e->traced, err, sizeof err);
        if (!e->nat[i]) fprintf(stderr, "accord: %s; %s is decided by the interpreter\n", err, e->ag[i]->id);
        __atomic_store_n(&e->nat_tried[i], true, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&e->nat_lock[i]);
    return e->nat[i];
}

/* The case in the ABI layout, packed once per case and worker. */
static void *packed_case(Engine *e, int worker, const Value *k) {
    Worker *w = &e->w[worker];
    if (w->packed_for != k) {
        w->packed = layout_pack(e->lay, e->voc->case_rec, k, &w->arena);
        w->packed_for = k;
    }
    return w->packed;
}

/* Agreement i's answer to q: compiled code unless --interp (SPEC §14). */
static Outcome ask_agreement(Engine *e, int worker, int i, const Value *k, const IrQuestion *q, const Value *args,
                             Trace *tr) {
    Native *n = native_of(e, i);
    /* an evaluator compiled for eval has no traced entry points: an
     * explanation asked of the same engine comes from the interpreter,
     * which gives the same trace (SPEC §14.5) */
    if (n && (!tr || native_traced(n))) return native_ask(n, packed_case(e, worker, k), q, args, tr);
    Interp *in = e->w[worker].in[i];
    interp_set_trace(in, tr);
    Outcome o = interp_ask(in, k, q, args);
    interp_set_trace(in, NULL);
    return o;
}

static bool in_personal_scope(Engine *e, int worker, int i, const Value *k) {
    Native *n = native_of(e, i);
    if (n) return native_in_personal_scope(n, packed_case(e, worker, k));
    return interp_in_personal_scope(e->w[worker].in[i], k);
}

static int fidx(const IrRecord *r, const char *name) {
    if (!r) return -1;
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return i;
    return -1;
}
static const IrRecord *frec(const IrRecord *r, int i) {
    if (!r || i < 0) return NULL;
    const Type *t = r->fields[i].type;
    if (t->kind == TY_LIST) t = t->elem;
    return t->kind == TY_RECORD ? t->rec : NULL;
}

static void build_map(Engine *e) {
    const IrRecord *c = e->voc->case_rec;
    CaseMap *m = &e->m;
    m->date = fidx(c, "date");
    m->person = fidx(c, "person");
    m->nationalities = fidx(frec(c, m->person), "nationalities");
    m->residence = fidx(frec(c, m->person), "residence");
    m->activities = fidx(c, "activities");
    const IrRecord *a = frec(c, m->activities);
    m->a_state = fidx(a, "state");
    m->a_seat = fidx(a, "employer_seat");
    m->a_flag = fidx(a, "flag_state");
    m->a_base = fidx(a, "home_base");
    m->a_posting = fidx(a, "posting");
    m->p_sending = fidx(frec(a, m->a_posting), "sending_state");
    m->periods = fidx(c, "periods");
    m->pe_state = fidx(frec(c, m->periods), "state");
    m->claim = fidx(c, "claim");
    m->c_residence = fidx(frec(c, m->claim), "residence");
    m->unemp = fidx(c, "unemployment_benefit_from");
    m->armed = fidx(c, "armed_service");
    m->exception = fidx(c, "exception_state");
}

static void add_country(Value *set, const Value *v) {
    if (v->kind == TY_COUNTRY && v->i > 0) set_add(set, (int)v->i);
}

/* SPEC §12.2: the states a case involves.  Nationality alone does not
 * connect a case to an agreement (a US national living and working in
 * Germany is not a case for a France-US agreement), so it is counted only
 * when `with_nationalities` (for the explanation). */
static Value involved(const Engine *e, const Value *k, bool with_nationalities) {
    const CaseMap *m = &e->m;
    Value s;
    memset(&s, 0, sizeof s);
    s.kind = TY_SET;
    if (m->person >= 0) {
        const Value *p = &k->agg.items[m->person];
        if (m->nationalities >= 0 && with_nationalities)
            for (int i = 0; i < 4; i++) s.bits[i] |= p->agg.items[m->nationalities].bits[i];
        if (m->residence >= 0) add_country(&s, &p->agg.items[m->residence]);
    }
    if (m->activities >= 0) {
        const Value *l = &k->agg.items[m->activities];
        for (uint32_t i = 0; i < l->agg.n; i++) {
            const Value *a = &l->agg.items[i];
            int f[] = {m->a_state, m->a_seat, m->a_flag, m->a_base};
            for (int j = 0; j < 4; j++)
                if (f[j] >= 0) add_country(&s, &a->agg.items[f[j]]);
            if (m->a_posting >= 0 && m->p_sending >= 0) add_country(&s, &a->agg.items[m->a_posting].agg.items[m->p_sending]);
        }
    }
    if (m->periods >= 0 && m->pe_state >= 0) {
        const Value *l = &k->agg.items[m->periods];
        for (uint32_t i = 0; i < l->agg.n; i++) add_country(&s, &l->agg.items[i].agg.items[m->pe_state]);
    }
    if (m->claim >= 0 && m->c_residence >= 0) add_country(&s, &k->agg.items[m->claim].agg.items[m->c_residence]);
    int top[] = {m->unemp, m->armed, m->exception};
    for (int j = 0; j < 3; j++)
        if (top[j] >= 0) add_country(&s, &k->agg.items[top[j]]);
    return s;
}

static bool party_on(const IrAgreement *ag, int c, int32_t d) {
    return set_has(&ag->parties, c) && d >= ag->party_from[c] && d < ag->party_until[c];
}

/* SPEC §12.2: the states where the person works now, and the states that
 * sent them there. */
static Value work_states(const Engine *e, const Value *k) {
    const CaseMap *m = &e->m;
    Value s;
    memset(&s, 0, sizeof s);
    s.kind = TY_SET;
    if (m->activities < 0) return s;
    const Value *l = &k->agg.items[m->activities];
    for (uint32_t i = 0; i < l->agg.n; i++) {
        const Value *a = &l->agg.items[i];
        if (m->a_state >= 0) add_country(&s, &a->agg.items[m->a_state]);
        if (m->a_posting >= 0 && m->p_sending >= 0) add_country(&s, &a->agg.items[m->a_posting].agg.items[m->p_sending]);
    }
    return s;
}

/* SPEC §12.2: an agreement applies when it is in force on the date, every
 * state of current work (and every sending state) is one of its parties on
 * that date, and at least one state the case involves is.  The first
 * condition keeps a bilateral agreement away from work between one of its
 * parties and a third state (a posting from France to Germany is none of the
 * Philippines-Germany agreement's business); the second keeps agreements
 * away from cases that touch none of their parties. */
/* The facts of selection, computed once per case: which agreements are in
 * force and connected, whether the work lies inside their parties, whether
 * their personal scope takes the person in.  Each question then picks from
 * this (SPEC §12.2). */
typedef struct Selection {
    int n;
    int idx[EVAL_MAX_AGREEMENTS];      /* candidate agreements (in force, connected) */
    bool all_work[EVAL_MAX_AGREEMENTS];
    bool scoped[EVAL_MAX_AGREEMENTS];
} Selection;

static void select_case(Engine *e, int worker, const Value *k, Selection *sel) {
    int32_t d = (int32_t)k->agg.items[e->m.date].i;
    Value inv = involved(e, k, false), work = work_states(e, k);
    sel->n = 0;
    for (int i = 0; i < e->nag; i++) {
        const IrAgreement *ag = e->ag[i];
        /* a standard is checked against, never applied to a case (SPEC §12.2) */
        if (ag->is_standard || d < ag->in_force || d >= ag->terminates) continue;
        bool all_work = true, any = false;
        for (int c = 1; c < 256; c++) {
            if (set_has(&work, c) && !party_on(ag, c, d)) all_work = false;
            if (set_has(&inv, c) && party_on(ag, c, d)) any = true;
        }
        if (!any) continue;
        sel->idx[sel->n] = i;
        sel->all_work[sel->n] = all_work;
        sel->scoped[sel->n] = in_personal_scope(e, worker, i, k);
        sel->n++;
    }
}

/* SPEC §12.2: only the question about the present activity looks at the
 * state of work; the others (periods, benefits, export, refunds) concern
 * the whole career, wherever the person works now. */
static bool about_work(const char *question) { return !strcmp(question, "applicable_legislation"); }

static int selected(const Engine *e, const Selection *sel, bool work, const IrAgreement **out) {
    int candidates = 0, in_scope = 0;
    for (int i = 0; i < sel->n; i++) {
        if (work && !sel->all_work[i]) continue;
        candidates++;
        if (sel->scoped[i]) in_scope++;
    }
    /* An agreement whose personal scope leaves the person out has nothing to
     * say when another one takes them in; when none does, they all stay, so
     * that the answer says "not covered" by which agreement, not "no
     * agreement". */
    bool only_scoped = in_scope > 0 && in_scope < candidates;
    int n = 0;
    for (int i = 0; i < sel->n; i++) {
        if (work && !sel->all_work[i]) continue;
        if (only_scoped && !sel->scoped[i]) continue;
        out[n++] = e->ag[sel->idx[i]];
    }
    return n;
}

/* ---- precedence (SPEC §12.5) ------------------------------------------------ */

static bool supersedes(const IrAgreement *a, const IrAgreement *b) {
    for (size_t i = 0; i < a->supersedes.len; i++)
        if (!strcmp(a->supersedes.items[i], b->id)) return true;
    return false;
}
static const IrYield *yields(const IrAgreement *a, const IrAgreement *b) {
    for (size_t i = 0; i < a->yields.len; i++) {
        const IrYield *y = a->yields.items[i];
        if (!strcmp(y->target, b->id)) return y;
    }
    return NULL;
}

/* "More favourable" per type of answer (SPEC §12.5): true over false, more
 * months or days over fewer, a higher amount in the same currency; a
 * country is never more favourable than another. */
static bool more_favourable(const Value *x, const Value *y) {
    switch (x->kind) {
    case TY_BOOL: return x->b && !y->b;
    case TY_INT: case TY_DAYS: case TY_MONTHS: return x->i > y->i;
    case TY_MONEY: return x->cur == y->cur && rat_cmp(x->q, y->q) > 0;
    default: return false;
    }
}

typedef struct Answer {
    const IrAgreement *ag;
    Outcome o;
    bool dropped;
    char why[160];     /* why a dropped answer was set aside (SPEC §12.5) */
} Answer;

static json_t *articles_json(const Outcome *o, int from, int to) {
    json_t *a = json_array();
    for (int i = from; i < to && i < o->nrules; i++)
        json_array_append_new(a, json_string(o->rules[i]->cite ? o->rules[i]->cite : ""));
    return a;
}

static const char *outcome_word(OutcomeKind k) { return ir_outcome_name(k); }

/* The JSON of one agreement's outcome. */
static json_t *outcome_json(const Answer *a, const IrQuestion *q) {
    json_t *o = json_object();
    json_object_set_new(o, "outcome", json_string(outcome_word(a->o.kind)));
    json_object_set_new(o, "agreement", json_string(a->ag->id));
    switch (a->o.kind) {
    case OUT_DECIDED:
        json_object_set_new(o, "value", value_to_json(&a->o.value, q->type));
        json_object_set_new(o, "articles", articles_json(&a->o, 0, a->o.nrules));
        break;
    case OUT_CONFLICT: {
        json_t *b = json_array();
        for (int i = 0; i < 2 && i < a->o.nrules; i++) {
            json_t *x = json_object();
            if (a->o.values[i].kind == q->type->kind) json_object_set_new(x, "value", value_to_json(&a->o.values[i], q->type));
            json_object_set_new(x, "articles", articles_json(&a->o, i, i + 1));
            json_array_append_new(b, x);
        }
        json_object_set_new(o, "between", b);
        if (a->o.reason[0]) json_object_set_new(o, "reason", json_string(a->o.reason));
        break;
    }
    default:
        if (a->o.nrules) json_object_set_new(o, "articles", articles_json(&a->o, 0, a->o.nrules));
        json_object_set_new(o, "reason", json_string(a->o.reason));
    }
    return o;
}

static int outcome_rank(OutcomeKind k) {
    /* when no agreement decides, the most telling outcome is reported */
    switch (k) {
    case OUT_CONFLICT: return 4;
    case OUT_ERROR: return 3;
    case OUT_UNDETERMINED: return 2;
    default: return 1;
    }
}

static void count(EvalStats *st, int k) {
    if (st) st->outcomes[k]++;
}

/* Combine the answers of the applicable agreements to one question. */
static json_t *combine_agreements(Answer *ans, int n, const IrQuestion *q, EvalStats *st) {
    /* superseded agreements drop out */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j && supersedes(ans[j].ag, ans[i].ag) && !ans[i].dropped) {
                ans[i].dropped = true;
                snprintf(ans[i].why, sizeof ans[i].why, "%s supersedes %s", ans[j].ag->id, ans[i].ag->id);
            }
    /* a yielding agreement gives way to a decided answer of its target,
     * unless it declared "unless more favourable" and its own answer is */
    for (int i = 0; i < n; i++) {
        if (ans[i].dropped || ans[i].o.kind != OUT_DECIDED) continue;
        for (int j = 0; j < n; j++) {
            if (i == j || ans[j].dropped || ans[j].o.kind != OUT_DECIDED) continue;
            const IrYield *y = yields(ans[i].ag, ans[j].ag);
            if (!y) continue;
            if (y->unless_more_favourable && more_favourable(&ans[i].o.value, &ans[j].o.value)) {
                ans[j].dropped = true;
                snprintf(ans[j].why, sizeof ans[j].why, "%s yields to %s, but its own answer is more favourable",
                         ans[i].ag->id, ans[j].ag->id);
            } else {
                ans[i].dropped = true;
                snprintf(ans[i].why, sizeof ans[i].why, "yields to %s%s", ans[j].ag->id,
                         y->unless_more_favourable ? " (its own answer is not more favourable)" : "");
            }
        }
    }
    int first = -1;
    bool agree = true;
    for (int i = 0; i < n; i++) {
        if (ans[i].dropped || ans[i].o.kind != OUT_DECIDED) continue;
        if (first < 0) first = i;
        else if (!value_eq(&ans[first].o.value, &ans[i].o.value)) agree = false;
    }
    if (first < 0) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!ans[i].dropped && (best < 0 || outcome_rank(ans[i].o.kind) > outcome_rank(ans[best].o.kind))) best = i;
        if (best < 0) best = 0;
        count(st, ans[best].o.kind);
        return outcome_json(&ans[best], q);
    }
    if (agree) {
        json_t *o = outcome_json(&ans[first], q);
        int others = 0;
        for (int i = first + 1; i < n; i++)
            if (!ans[i].dropped && ans[i].o.kind == OUT_DECIDED) others++;
        if (others) {
            /* several agreements give the same answer: the others are cited too */
            json_t *ags = json_array();
            for (int i = first + 1; i < n; i++)
                if (!ans[i].dropped && ans[i].o.kind == OUT_DECIDED) {
                    json_t *x = json_object();
                    json_object_set_new(x, "agreement", json_string(ans[i].ag->id));
                    json_object_set_new(x, "articles", articles_json(&ans[i].o, 0, ans[i].o.nrules));
                    json_array_append_new(ags, x);
                }
            json_object_set_new(o, "also", ags);
        }
        count(st, OUT_DECIDED);
        return o;
    }
    /* different answers and no precedence settles it: a conflict between agreements */
    json_t *o = json_object();
    json_object_set_new(o, "outcome", json_string("conflict"));
    json_t *b = json_array();
    for (int i = 0; i < n; i++) {
        if (ans[i].dropped || ans[i].o.kind != OUT_DECIDED) continue;
        json_t *x = json_object();
        json_object_set_new(x, "agreement", json_string(ans[i].ag->id));
        json_object_set_new(x, "value", value_to_json(&ans[i].o.value, q->type));
        json_object_set_new(x, "articles", articles_json(&ans[i].o, 0, ans[i].o.nrules));
        json_array_append_new(b, x);
    }
    json_object_set_new(o, "between", b);
    json_object_set_new(o, "reason", json_string("the agreements give different answers and no precedence declaration settles which prevails"));
    count(st, OUT_CONFLICT);
    return o;
}

/* ---- arguments ---------------------------------------------------------------- */

static bool parse_arg(const Type *t, const char *text, Value *out) {
    memset(out, 0, sizeof *out);
    out->kind = t->kind;
    if (t->kind == TY_COUNTRY) {
        int c = acc_country_lookup(text, strlen(text));
        if (c < 0) return false;
        out->i = c;
        return true;
    }
    if (t->kind == TY_ENUM) {
        for (int i = 0; i < t->en->n; i++)
            if (!strcmp(t->en->consts[i], text)) {
                out->i = i + 1;
                return true;
            }
    }
    return false;
}

static const char *arg_key(const Value *v, const Type *t, char *buf, size_t n) {
    value_format(buf, n, v, t);
    return buf;
}

/* The arguments a parameter takes for a case (SPEC §12.4): the involved
 * states that are parties of an applicable agreement; the requested
 * branches, else the branches of the applicable agreements' material scope
 * (all branches if one of them declares none); every constant of other enums. */
static Value arg_domain(const Engine *e, const Type *t, const Value *k, const IrAgreement **ags, int nag) {
    Value s;
    memset(&s, 0, sizeof s);
    s.kind = TY_SET;
    int32_t d = (int32_t)k->agg.items[e->m.date].i;
    if (t->kind == TY_COUNTRY) {
        Value inv = involved(e, k, false);
        for (int c = 1; c < 256; c++)
            for (int i = 0; i < nag; i++)
                if (set_has(&inv, c) && party_on(ags[i], c, d)) set_add(&s, c);
        return s;
    }
    if (t->en == e->voc->branch && set_size(&e->opt.branches)) return e->opt.branches;
    if (t->en == e->voc->branch) {
        bool all = false;
        for (int i = 0; i < nag; i++) {
            if (!ags[i]->material_scope.len) all = true;
            for (size_t j = 0; j < ags[i]->material_scope.len; j++) {
                const IrMaterialClause *m = ags[i]->material_scope.items[j];
                for (int w = 0; w < 4; w++) s.bits[w] |= m->branches.bits[w];
            }
        }
        if (!all) return s;
    }
    for (int i = 1; i <= t->en->n; i++) set_add(&s, i);
    return s;
}

/* Ask q with the given arguments of every applicable agreement and combine. */
static json_t *ask_all(Engine *e, int worker, const Value *k, const IrAgreement **ags, int nag, const char *qname,
                       const Value *args, EvalStats *st) {
    Answer ans[EVAL_MAX_AGREEMENTS];
    const IrQuestion *q0 = NULL;
    for (int i = 0; i < nag; i++) {
        const IrQuestion *q = ir_question(ags[i], qname);
        q0 = q;
        int ai = 0;
        for (int j = 0; j < e->nag; j++)
            if (e->ag[j] == ags[i]) ai = j;
        ans[i].ag = ags[i];
        ans[i].dropped = false;
        ans[i].o = ask_agreement(e, worker, ai, k, q, args, NULL);
    }
    return combine_agreements(ans, nag, q0, st);
}

/* Nest the answers by argument: {"DE": {"old_age": {...}}} */
static json_t *ask_params(Engine *e, int worker, const Value *k, const IrAgreement **ags, int nag, const IrQuestion *q,
                          Value *args, int depth, const Value *fixed, EvalStats *st) {
    if (depth == q->nparams) return ask_all(e, worker, k, ags, nag, q->name, args, st);
    if (fixed) {
        args[depth] = fixed[depth];
        return ask_params(e, worker, k, ags, nag, q, args, depth + 1, fixed, st);
    }
    json_t *o = json_object();
    Value dom = arg_domain(e, q->ptypes[depth], k, ags, nag);
    for (int i = 1; i < 256; i++) {
        if (!set_has(&dom, i)) continue;
        memset(&args[depth], 0, sizeof args[depth]);
        args[depth].kind = q->ptypes[depth]->kind;
        args[depth].i = i;
        char key[64];
        json_object_set_new(o, arg_key(&args[depth], q->ptypes[depth], key, sizeof key),
                            ask_params(e, worker, k, ags, nag, q, args, depth + 1, NULL, st));
    }
    return o;
}

json_t *engine_eval_case(Engine *e, int worker, const Value *k, const char *id, long line, EvalStats *st) {
    const IrAgreement *ags[EVAL_MAX_AGREEMENTS];
    Selection sel;
    e->w[worker].packed_for = NULL; /* a new case, perhaps at the address of the last one */
    select_case(e, worker, k, &sel);
    int nag = selected(e, &sel, false, ags);
    json_t *r = json_object();
    json_object_set_new(r, "id", json_string(id));
    json_object_set_new(r, "line", json_integer(line));
    json_t *ids = json_array();
    for (int i = 0; i < nag; i++) json_array_append_new(ids, json_string(ags[i]->id));
    json_object_set_new(r, "agreements", ids);
    json_t *qs = json_object();
    for (int i = 0; i < e->nq; i++) {
        const QSpec *s = &e->qs[i];
        json_t *ans;
        if (!nag) {
            ans = json_object();
            json_object_set_new(ans, "outcome", json_string("no agreement"));
            count(st, 5);
        } else {
            Value args[8];
            const IrAgreement *qags[EVAL_MAX_AGREEMENTS];
            int nq = selected(e, &sel, about_work(s->name), qags);
            if (!nq) {
                ans = json_object();
                json_object_set_new(ans, "outcome", json_string("no agreement"));
                count(st, 5);
            } else {
                const IrQuestion *q = ir_question(qags[0], s->name);
                ans = ask_params(e, worker, k, qags, nq, q, args, 0, s->nargs ? e->qargs[i] : NULL, st);
            }
        }
        char key[160];
        if (s->nargs) {
            size_t n = (size_t)snprintf(key, sizeof key, "%s(", s->name);
            for (int a = 0; a < s->nargs && n < sizeof key; a++)
                n += (size_t)snprintf(key + n, sizeof key - n, "%s%s", a ? "," : "", s->argtext[a]);
            snprintf(key + n, n < sizeof key ? sizeof key - n : 0, ")");
        } else {
            snprintf(key, sizeof key, "%s", s->name);
        }
        json_object_set_new(qs, key, ans);
    }
    json_object_set_new(r, "answers", qs);
    return r;
}

/* ---- engine ----------------------------------------------------------------------- */

Engine *engine_new(const Loaded *lib, const EvalOptions *opt) {
    Engine *e = xcalloc(1, sizeof *e);
    e->lib = lib;
    e->voc = lib->voc;
    e->opt = *opt;
    if (lib->agreements.len > EVAL_MAX_AGREEMENTS) {
        fprintf(stderr, "accord: at most %d agreements can be evaluated together\n", EVAL_MAX_AGREEMENTS);
        free(e);
        return NULL;
    }
    e->nag = (int)lib->agreements.len;
    for (int i = 0; i < e->nag; i++) e->ag[i] = lib->agreements.items[i];
    build_map(e);
    if (e->m.date < 0) {
        fprintf(stderr, "accord: the vocabulary's case has no date\n");
        free(e);
        return NULL;
    }
    /* the questions: as asked, or every question of the vocabulary */
    if (opt->nquestions) {
        e->nq = opt->nquestions;
        e->qs = xcalloc((size_t)e->nq, sizeof *e->qs);
        memcpy(e->qs, opt->questions, sizeof *e->qs * (size_t)e->nq);
    } else {
        e->nq = (int)e->voc->questions.len;
        e->qs = xcalloc((size_t)e->nq + 1, sizeof *e->qs);
        for (int i = 0; i < e->nq; i++) e->qs[i].name = ((IrQuestion *)e->voc->questions.items[i])->name;
    }
    e->qargs = xcalloc((size_t)e->nq + 1, sizeof *e->qargs);
    for (int i = 0; i < e->nq; i++) {
        const IrQuestion *q = NULL;
        for (size_t j = 0; j < e->voc->questions.len; j++)
            if (!strcmp(((IrQuestion *)e->voc->questions.items[j])->name, e->qs[i].name)) q = e->voc->questions.items[j];
        if (!q) {
            fprintf(stderr, "accord: unknown question '%s' (the questions are those of the vocabulary, SPEC §7.3)\n",
                    e->qs[i].name);
            engine_free(e);
            return NULL;
        }
        if (e->qs[i].nargs && e->qs[i].nargs != q->nparams) {
            fprintf(stderr, "accord: question '%s' takes %d argument%s\n", q->name, q->nparams, q->nparams == 1 ? "" : "s");
            engine_free(e);
            return NULL;
        }
        for (int a = 0; a < e->qs[i].nargs; a++)
            if (!parse_arg(q->ptypes[a], e->qs[i].argtext[a], &e->qargs[i][a])) {
                char tb[64];
                fprintf(stderr, "accord: '%s' is not a %s (argument %d of %s)\n", e->qs[i].argtext[a],
                        type_name(q->ptypes[a], tb, sizeof tb), a + 1, q->name);
                engine_free(e);
                return NULL;
            }
        if (opt->csv_out && q->nparams && !e->qs[i].nargs) {
            fprintf(stderr, "accord: CSV output has one column per answer: give the arguments of '%s', e.g. --question '%s(%s)'\n",
                    q->name, q->name, q->nparams == 2 ? "DE,old_age" : q->ptypes[0]->kind == TY_COUNTRY ? "DE" : "old_age");
            engine_free(e);
            return NULL;
        }
    }
    /* jansson seeds its hash function on first use; do it here, before any
     * worker thread creates objects */
    json_object_seed(0);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    e->nworkers = opt->jobs > 0 ? opt->jobs : (cores > 0 ? (int)cores : 1);
    if (e->nworkers > 256) e->nworkers = 256;
    e->w = xcalloc((size_t)e->nworkers, sizeof *e->w);
    for (int w = 0; w < e->nworkers; w++)
        for (int i = 0; i < e->nag; i++) e->w[w].in[i] = interp_new(e->ag[i]);
    for (int i = 0; i < e->nag; i++) pthread_mutex_init(&e->nat_lock[i], NULL);
    e->lay = layout_new(e->voc, &e->lay_arena);
    return e;
}

void engine_free(Engine *e) {
    if (!e) return;
    for (int w = 0; w < e->nworkers && e->w; w++) {
        for (int i = 0; i < e->nag; i++) interp_free(e->w[w].in[i]);
        arena_free_all(&e->w[w].arena);
    }
    free(e->w);
    if (e->lay) {
        for (int i = 0; i < e->nag; i++) {
            native_free(e->nat[i]);
            pthread_mutex_destroy(&e->nat_lock[i]);
        }
        arena_free_all(&e->lay_arena);
    }
    free(e->qs);
    free(e->qargs);
    free(e);
}

/* ---- batch: read, decide on N threads, write in order ----------------------------- */

#define BATCH 2048
#define MAX_LINE (1u << 20) /* SPEC §12.1: a line of more than 1 MiB is an error */

typedef struct Job {
    char *text;          /* JSON line (owned), or NULL for CSV */
    size_t len;
    json_t *obj;         /* CSV row as JSON (owned), or NULL */
    long line;
    const char *error;   /* a reading error for this line */
    char *out;           /* the output line (owned) */
    bool failed;
} Job;

typedef struct LineReader {
    FILE *in;
    char chunk[1 << 16];
    size_t pos, len;
    bool eof;
    char *buf;
    size_t cap;
} LineReader;

/* Next line without its newline (and without a CR before it). Returns false
 * at end of input; *too_long when the line exceeded MAX_LINE (its content is
 * then discarded, memory stays bounded). */
static bool read_line(LineReader *r, size_t *len, bool *too_long) {
    size_t n = 0;
    bool any = false;
    *too_long = false;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof) break;
            r->len = fread(r->chunk, 1, sizeof r->chunk, r->in);
            r->pos = 0;
            if (r->len == 0) {
                r->eof = true;
                break;
            }
        }
        any = true;
        char *nl = memchr(r->chunk + r->pos, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - (r->chunk + r->pos)) : r->len - r->pos;
        if (!*too_long) {
            if (n + take > MAX_LINE) {
                *too_long = true;
            } else {
                if (n + take + 1 > r->cap) {
                    r->cap = (n + take + 1) * 2;
                    r->buf = xrealloc(r->buf, r->cap);
                }
                memcpy(r->buf + n, r->chunk + r->pos, take);
                n += take;
            }
        }
        r->pos += take;
        if (nl) {
            r->pos++;
            break;
        }
    }
    if (!any) return false;
    if (n && r->buf[n - 1] == '\r') n--;
    if (r->buf) r->buf[n] = 0;
    *len = n;
    return true;
}

typedef struct Shared {
    Engine *e;
    Job *jobs;
    int njobs;
    int next;
    pthread_mutex_t lock;
    EvalStats stats[256];
} Shared;

static char *error_line(long line, const char *id, const CaseError *err, bool csv, int ncolumns) {
    if (csv) {
        /* id,line,error,agreements,... : quote the message */
        char msg[512];
        snprintf(msg, sizeof msg, "%s%s%s", err->path, err->path[0] ? ": " : "", err->message);
        size_t n = strlen(msg) * 2 + 64 + (id ? strlen(id) * 2 : 0);
        char *out = xmalloc(n), *o = out;
        o += sprintf(o, "\"");
        for (const char *p = id ? id : ""; *p; p++) { if (*p == '"') *o++ = '"'; *o++ = *p; }
        o += sprintf(o, "\",%ld,\"", line);
        for (const char *p = msg; *p; p++) { if (*p == '"') *o++ = '"'; *o++ = *p; }
        o += sprintf(o, "\",");  /* and an empty agreements cell */
        /* as many (empty) cells as the header has: four per question */
        out = xrealloc(out, (size_t)(o - out) + (size_t)ncolumns * 4 + 2);
        o = out + strlen(out);
        for (int i = 0; i < ncolumns * 4; i++) *o++ = ',';
        *o = 0;
        return out;
    }
    json_t *r = json_object();
    if (id) json_object_set_new(r, "id", json_string(id));
    json_object_set_new(r, "line", json_integer(line));
    json_t *er = json_object();
    if (err->path[0]) json_object_set_new(er, "path", json_string(err->path));
    json_object_set_new(er, "message", json_string(err->message));
    json_object_set_new(r, "error", er);
    char *s = json_dumps(r, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(r);
    return s;
}

static void csv_cell(json_t *v, char **o, size_t *n, size_t *cap);

static char *result_line(Engine *e, json_t *r, bool csv) {
    if (!csv) return json_dumps(r, JSON_COMPACT | JSON_ENSURE_ASCII);
    size_t n = 0, cap = 256;
    char *out = xmalloc(cap);
    out[0] = 0;
    csv_cell(json_object_get(r, "id"), &out, &n, &cap);
    char b[32];
    snprintf(b, sizeof b, ",%" JSON_INTEGER_FORMAT ",,", json_integer_value(json_object_get(r, "line")));
    size_t bl = strlen(b);
    if (n + bl + 1 > cap) { cap = (n + bl + 1) * 2; out = xrealloc(out, cap); }
    memcpy(out + n, b, bl + 1);
    n += bl;
    /* agreements joined by ';' */
    json_t *ags = json_object_get(r, "agreements");
    char agb[512] = "";
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(ags) && k < sizeof agb - 80; i++)
        k += (size_t)snprintf(agb + k, sizeof agb - k, "%s%s", i ? ";" : "", json_string_value(json_array_get(ags, i)));
    json_t *agj = json_string(agb);
    csv_cell(agj, &out, &n, &cap);
    json_decref(agj);
    json_t *ans = json_object_get(r, "answers");
    const char *key;
    json_t *a;
    json_object_foreach(ans, key, a) {
        (void)e;
        json_t *articles = json_object_get(a, "articles");
        char art[512] = "";
        k = 0;
        for (size_t i = 0; i < json_array_size(articles) && k < sizeof art - 80; i++)
            k += (size_t)snprintf(art + k, sizeof art - k, "%s%s", i ? ";" : "", json_string_value(json_array_get(articles, i)));
        /* the agreement that answered; for a conflict between agreements, each of them */
        char agr[256] = "";
        json_t *one = json_object_get(a, "agreement");
        if (one) snprintf(agr, sizeof agr, "%s", json_string_value(one));
        json_t *between = json_object_get(a, "between");
        k = 0;
        for (size_t i = 0; !one && i < json_array_size(between) && k < sizeof agr - 80; i++) {
            json_t *ba = json_object_get(json_array_get(between, i), "agreement");
            if (ba) k += (size_t)snprintf(agr + k, sizeof agr - k, "%s%s", k ? ";" : "", json_string_value(ba));
        }
        json_t *cells[4] = {json_object_get(a, "outcome"), json_object_get(a, "value"), json_string(agr), json_string(art)};
        for (int c = 0; c < 4; c++) {
            if (n + 2 > cap) { cap *= 2; out = xrealloc(out, cap); }
            out[n++] = ',';
            out[n] = 0;
            csv_cell(cells[c], &out, &n, &cap);
        }
        json_decref(cells[2]);
        json_decref(cells[3]);
    }
    return out;
}

/* Append a JSON scalar as a CSV cell, quoted when it needs to be. */
static void csv_cell(json_t *v, char **o, size_t *n, size_t *cap) {
    char buf[256];
    const char *s = "";
    if (json_is_string(v)) s = json_string_value(v);
    else if (json_is_integer(v)) { snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); s = buf; }
    else if (json_is_true(v)) s = "true";
    else if (json_is_false(v)) s = "false";
    size_t need = strlen(s) * 2 + 3;
    if (*n + need + 1 > *cap) {
        *cap = (*n + need + 1) * 2;
        *o = xrealloc(*o, *cap);
    }
    bool q = strpbrk(s, ",\"\n;") != NULL;
    char *p = *o + *n;
    if (q) *p++ = '"';
    for (; *s; s++) {
        if (*s == '"') *p++ = '"';
        *p++ = *s;
    }
    if (q) *p++ = '"';
    *p = 0;
    *n = (size_t)(p - *o);
}

static void run_job(Shared *sh, int w, Job *j) {
    Engine *e = sh->e;
    EvalStats *st = &sh->stats[w];
    Arena *A = &e->w[w].arena;
    CaseError err;
    memset(&err, 0, sizeof err);
    const char *id = NULL;
    Value kase;
    bool ok;
    st->cases++;
    if (j->error) {
        snprintf(err.message, sizeof err.message, "%s", j->error);
        ok = false;
    } else if (j->obj) {
        json_t *bad = json_object_get(j->obj, "__error__");
        if (bad) {
            snprintf(err.message, sizeof err.message, "%s", json_string_value(bad));
            json_t *bid = json_object_get(j->obj, "id");
            if (json_is_string(bid)) id = arena_strdup(A, json_string_value(bid));
            ok = false;
        } else {
            ok = case_from_json(e->voc, A, j->obj, &kase, &id, &err);
        }
    } else {
        ok = case_from_line(e->voc, A, j->text, j->len, &kase, &id, &err);
    }
    if (!ok) {
        st->errors++;
        j->failed = true;
        j->out = error_line(j->line, id, &err, e->opt.csv_out, e->nq);
    } else {
        json_t *r = engine_eval_case(e, w, &kase, id, j->line, st);
        j->out = result_line(e, r, e->opt.csv_out);
        json_decref(r);
    }
    arena_free_all(A);
}

typedef struct WorkerArg {
    Shared *sh;
    int w;
} WorkerArg;

static void *worker_main(void *p) {
    WorkerArg *a = p;
    Shared *sh = a->sh;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int i = sh->next < sh->njobs ? sh->next++ : -1;
        pthread_mutex_unlock(&sh->lock);
        if (i < 0) break;
        run_job(sh, a->w, &sh->jobs[i]);
    }
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int engine_run(Engine *e, FILE *in, bool csv_in, FILE *periods, FILE *out, EvalStats *stats) {
    Shared *sh = xcalloc(1, sizeof *sh);
    sh->e = e;
    pthread_mutex_init(&sh->lock, NULL);
    Job *jobs = xcalloc(BATCH, sizeof *jobs);
    sh->jobs = jobs;
    LineReader lr = {0};
    lr.in = in;
    CsvReader *csv = NULL;
    int status = 0;
    if (csv_in) {
        CaseError err;
        csv = csv_open(e->voc, in, periods, &err);
        if (!csv) {
            fprintf(stderr, "accord: %s\n", err.message);
            free(jobs);
            free(sh);
            return 2;
        }
    }
    if (e->opt.csv_out) {
        fputs("id,line,error,agreements", out);
        for (int i = 0; i < e->nq; i++) {
            char key[160];
            size_t n = (size_t)snprintf(key, sizeof key, "%s", e->qs[i].name);
            if (e->qs[i].nargs) {
                n += (size_t)snprintf(key + n, sizeof key - n, "(");
                for (int a = 0; a < e->qs[i].nargs; a++)
                    n += (size_t)snprintf(key + n, sizeof key - n, "%s%s", a ? " " : "", e->qs[i].argtext[a]);
                snprintf(key + n, sizeof key - n, ")");
            }
            fprintf(out, ",%s.outcome,%s.value,%s.agreement,%s.articles", key, key, key, key);
        }
        fputc('\n', out);
    }
    double t0 = now(), last_progress = t0;
    long lineno = 0;
    bool more = true;
    while (more) {
        int n = 0;
        while (n < BATCH) {
            Job *j = &jobs[n];
            memset(j, 0, sizeof *j);
            if (csv) {
                long line;
                json_t *o = csv_next(csv, &line);
                if (!o) { more = false; break; }
                j->obj = o;
                j->line = line;
            } else {
                size_t len;
                bool too_long;
                if (!read_line(&lr, &len, &too_long)) { more = false; break; }
                j->line = ++lineno;
                if (too_long) j->error = "line longer than 1 MiB (1048576 bytes)";
                else if (len == 0) j->error = "empty line: expected a case (a JSON object)";
                else {
                    j->text = xmalloc(len + 1);
                    memcpy(j->text, lr.buf, len);
                    j->len = len;
                }
            }
            n++;
        }
        if (!n) break;
        sh->njobs = n;
        sh->next = 0;
        int nw = e->nworkers < n ? e->nworkers : n;
        if (nw <= 1) {
            WorkerArg a = {sh, 0};
            worker_main(&a);
        } else {
            pthread_t th[256];
            WorkerArg args[256];
            bool started[256] = {false};
            for (int w = 0; w < nw; w++) {
                args[w] = (WorkerArg){sh, w};
                started[w] = pthread_create(&th[w], NULL, worker_main, &args[w]) == 0;
            }
            /* a thread that could not start leaves its share to the others;
             * worker 0's state is used by this thread when none started */
            bool any = false;
            for (int w = 0; w < nw; w++) any |= started[w];
            if (!any) worker_main(&args[0]);
            for (int w = 0; w < nw; w++)
                if (started[w]) pthread_join(th[w], NULL);
        }
        for (int i = 0; i < n; i++) {
            fputs(jobs[i].out, out);
            fputc('\n', out);
            if (jobs[i].failed) status = 1;
            free(jobs[i].out);
            free(jobs[i].text);
            if (jobs[i].obj) json_decref(jobs[i].obj);
        }
        if (e->opt.progress) {
            double t = now();
            if (t - last_progress > 1.0) {
                long done = 0, errs = 0;
                for (int w = 0; w < 256; w++) { done += sh->stats[w].cases; errs += sh->stats[w].errors; }
                fprintf(stderr, "\r%ld cases, %.0f cases/s, %ld errors ", done, done / (t - t0), errs);
                last_progress = t;
            }
        }
    }
    if (csv) {
        char first[128];
        int unused = csv_unused_periods(csv, first, sizeof first);
        if (unused) {
            fprintf(stderr, "accord: %d period%s in the periods CSV name%s case ids that no case has (first: '%s')\n", unused,
                    unused == 1 ? "" : "s", unused == 1 ? "s" : "", first);
            status = 1;
        }
        csv_close(csv);
    }
    memset(stats, 0, sizeof *stats);
    for (int w = 0; w < 256; w++) {
        stats->cases += sh->stats[w].cases;
        stats->errors += sh->stats[w].errors;
        for (int k = 0; k < 6; k++) stats->outcomes[k] += sh->stats[w].outcomes[k];
    }
    if (e->opt.progress) fputc('\n', stderr);
    double dt = now() - t0;
    fprintf(stderr, "accord eval: %ld case%s, %ld error%s, %.2f s (%.0f cases/s)\n", stats->cases, stats->cases == 1 ? "" : "s",
            stats->errors, stats->errors == 1 ? "" : "s", dt, dt > 0 ? stats->cases / dt : 0.0);
    free(lr.buf);
    free(jobs);
    pthread_mutex_destroy(&sh->lock);
    free(sh);
    return status;
}

/* ---- explain (SPEC §12.6) ------------------------------------------------------------ */

static const char *span_text(const Engine *e, Span sp, char *buf, size_t n) {
    const SourceFile *f = src_file(e->lib->cx, sp.file);
    if (!f || sp.end > f->len || sp.end < sp.start) return "";
    size_t len = sp.end - sp.start;
    if (len > n - 1) len = n - 1;
    /* fold newlines and runs of blanks: one readable line */
    size_t k = 0;
    bool blank = false;
    for (size_t i = 0; i < len && k < n - 1; i++) {
        char c = f->text[sp.start + i];
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            if (!blank) buf[k++] = ' ';
            blank = true;
        } else {
            buf[k++] = c;
            blank = false;
        }
    }
    buf[k] = 0;
    return buf;
}

static void span_pos(const Engine *e, Span sp, uint32_t *line, uint32_t *col) {
    const SourceFile *f = src_file(e->lib->cx, sp.file);
    *line = *col = 0;
    if (f) src_linecol(f, sp.start, line, col);
}

static const char *rule_name(const IrRule *r, char *buf, size_t n) {
    snprintf(buf, n, "%s%s%s%s", r->cite ? r->cite : "(no article)", r->label ? " (rule " : "", r->label ? r->label : "",
             r->label ? ")" : "");
    return buf;
}

static const char *op_sym(IrOp op) {
    static const char *s[] = {"not", "-", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "x", "/"};
    return s[op];
}

static json_t *steps_json(const Engine *e, const Trace *t) {
    json_t *steps = json_array();
    char b1[512], b2[512];
    for (size_t i = 0; i < t->n; i++) {
        const TraceEvent *ev = &t->ev[i];
        json_t *s = json_object();
        json_object_set_new(s, "depth", json_integer(ev->depth));
        uint32_t line, col;
        switch (ev->kind) {
        case TR_ASK: case TR_ANSWER: {
            json_object_set_new(s, "event", json_string(ev->kind == TR_ASK ? "ask" : "answer"));
            json_object_set_new(s, "question", json_string(ev->q->name));
            json_t *args = json_array();
            for (int a = 0; a < ev->q->nparams && a < 2; a++) json_array_append_new(args, value_to_json(&ev->args[a], ev->q->ptypes[a]));
            json_object_set_new(s, "args", args);
            if (ev->kind == TR_ANSWER) {
                json_object_set_new(s, "outcome", json_string(ir_outcome_name(ev->outcome)));
                if (ev->outcome == OUT_DECIDED) json_object_set_new(s, "value", value_to_json(&ev->value, ev->q->type));
            }
            break;
        }
        case TR_NOT_IN_FORCE: case TR_HEAD_MISMATCH: case TR_COND_FALSE: case TR_DECIDED: case TR_FAILED: {
            static const char *res[] = {"", "", "not in force on the date", "its head does not match", "condition false",
                                        "decided", "failed"};
            json_object_set_new(s, "event", json_string("rule"));
            json_object_set_new(s, "article", json_string(ev->rule->cite ? ev->rule->cite : ""));
            if (ev->rule->label) json_object_set_new(s, "rule", json_string(ev->rule->label));
            span_pos(e, ev->rule->span, &line, &col);
            json_object_set_new(s, "line", json_integer(line));
            json_object_set_new(s, "result", json_string(res[ev->kind]));
            if (ev->kind == TR_COND_FALSE) {
                json_object_set_new(s, "failed", json_string(span_text(e, ev->expr->span, b2, sizeof b2)));
                span_pos(e, ev->expr->span, &line, &col);
                json_object_set_new(s, "failed_at", json_pack("{s:i,s:i}", "line", (int)line, "column", (int)col));
            }
            if (ev->kind == TR_DECIDED) json_object_set_new(s, "value", value_to_json(&ev->value, ev->rule->q->type));
            if (ev->kind == TR_FAILED) json_object_set_new(s, "outcome", json_string(ir_outcome_name(ev->outcome)));
            break;
        }
        case TR_OVERRIDDEN:
            json_object_set_new(s, "event", json_string("overridden"));
            json_object_set_new(s, "article", json_string(rule_name(ev->rule, b1, sizeof b1)));
            if (ev->by) json_object_set_new(s, "by", json_string(rule_name(ev->by, b2, sizeof b2)));
            break;
        case TR_ARITH: {
            json_object_set_new(s, "event", json_string("arithmetic"));
            json_object_set_new(s, "expression", json_string(span_text(e, ev->expr->span, b2, sizeof b2)));
            if (ev->rule) json_object_set_new(s, "article", json_string(ev->rule->cite ? ev->rule->cite : ""));
            char va[96], vb[96], vr[96];
            value_format(va, sizeof va, &ev->a, NULL);
            value_format(vb, sizeof vb, &ev->b, NULL);
            value_format(vr, sizeof vr, &ev->value, NULL);
            if (ev->expr->kind == IR_BUILTIN) snprintf(b1, sizeof b1, "round(%s) = %s", va, vr);
            else snprintf(b1, sizeof b1, "%s %s %s = %s", va, op_sym(ev->expr->op), vb, vr);
            json_object_set_new(s, "computation", json_string(b1));
            break;
        }
        case TR_FACT:
            json_decref(s);
            continue;
        }
        json_array_append_new(steps, s);
    }
    return steps;
}

/* A JSON scalar as Accord writes it: PH, true, 24, "1234.56 EUR" without quotes. */
static void print_scalar(FILE *out, json_t *v) {
    if (json_is_string(v)) fputs(json_string_value(v), out);
    else if (json_is_array(v)) {
        fputc('{', out);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) fputs(", ", out);
            print_scalar(out, json_array_get(v, i));
        }
        fputc('}', out);
    } else if (json_is_null(v)) fputs("none", out);
    else {
        char *s = json_dumps(v, JSON_ENCODE_ANY);
        fputs(s, out);
        free(s);
    }
}

static void print_args(FILE *out, json_t *args) {
    if (!json_array_size(args)) return;
    fputc('(', out);
    for (size_t i = 0; i < json_array_size(args); i++) {
        if (i) fputs(", ", out);
        print_scalar(out, json_array_get(args, i));
    }
    fputc(')', out);
}

/* Prose folded to one paragraph and wrapped at 80 columns after `indent`. */
static void print_prose(FILE *out, const char *s, int indent) {
    int col = indent;
    fprintf(out, "%*s", indent, "");
    while (*s) {
        while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
        const char *w = s;
        while (*s && *s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') s++;
        int len = (int)(s - w);
        if (!len) break;
        if (col > indent && col + 1 + len > 88) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", len, w);
        col += len;
    }
    fputc('\n', out);
}

static void print_steps(FILE *out, json_t *steps) {
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s) {
        int depth = (int)json_integer_value(json_object_get(s, "depth"));
        const char *ev = json_string_value(json_object_get(s, "event"));
        fprintf(out, "    %*s", depth * 2, "");
        if (!strcmp(ev, "rule")) {
            const char *res = json_string_value(json_object_get(s, "result"));
            json_t *label = json_object_get(s, "rule");
            fprintf(out, "%s%s%s%s: ", json_string_value(json_object_get(s, "article")), label ? " (rule " : "",
                    label ? json_string_value(label) : "", label ? ")" : "");
            if (!strcmp(res, "decided")) {
                fputs("applies, answer ", out);
                print_scalar(out, json_object_get(s, "value"));
                fputc('\n', out);
            } else if (!strcmp(res, "condition false")) {
                fprintf(out, "does not apply: `%s` is false\n", json_string_value(json_object_get(s, "failed")));
            } else if (!strcmp(res, "failed")) {
                fprintf(out, "cannot answer (%s)\n", json_string_value(json_object_get(s, "outcome")));
            } else {
                fprintf(out, "%s\n", res);
            }
        } else if (!strcmp(ev, "overridden")) {
            fprintf(out, "%s gives way to its exception %s\n", json_string_value(json_object_get(s, "article")),
                    json_string_value(json_object_get(s, "by")));
        } else if (!strcmp(ev, "arithmetic")) {
            fprintf(out, "computes %s: %s\n", json_string_value(json_object_get(s, "expression")),
                    json_string_value(json_object_get(s, "computation")));
        } else if (!strcmp(ev, "ask")) {
            fprintf(out, "asks %s", json_string_value(json_object_get(s, "question")));
            print_args(out, json_object_get(s, "args"));
            fputc('\n', out);
        } else if (!strcmp(ev, "answer")) {
            json_t *v = json_object_get(s, "value");
            fputs(json_string_value(json_object_get(s, "question")), out);
            print_args(out, json_object_get(s, "args"));
            fprintf(out, " is %s", json_string_value(json_object_get(s, "outcome")));
            if (v) {
                fputs(": ", out);
                print_scalar(out, v);
            }
            fputc('\n', out);
        }
    }
}

/* The agreements that apply to the case and its date, for explain. */
static int explain_selection(Engine *e, const Value *k, Selection *sel, const IrAgreement **ags, char db[11]) {
    e->w[0].packed_for = NULL;
    e->traced = true; /* before anything is compiled: explain is the engine's only use then */
    select_case(e, 0, k, sel);
    acc_date_format((acc_date)k->agg.items[e->m.date].i, db);
    return selected(e, sel, false, ags);
}

json_t *engine_explain_json(Engine *e, const Value *k, const char *id) {
    const IrAgreement *ags[EVAL_MAX_AGREEMENTS];
    Selection sel;
    char db[11];
    int nag = explain_selection(e, k, &sel, ags, db);
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("accord-explain/1"));
    json_object_set_new(doc, "id", json_string(id ? id : ""));
    json_object_set_new(doc, "date", json_string(db));
    json_t *jags = json_array();
    for (int i = 0; i < nag; i++)
        json_array_append_new(jags, json_pack("{s:s,s:s}", "id", ags[i]->id, "title", ags[i]->title ? ags[i]->title : ""));
    json_object_set_new(doc, "agreements", jags);
    Value inv = involved(e, k, false);
    json_object_set_new(doc, "involved_states", value_to_json(&inv, &ty_country_set));
    bool facts_read[256] = {0};
    json_t *questions = json_array();
    const IrAgreement *qags[EVAL_MAX_AGREEMENTS];
    for (int qi = 0; qi < e->nq && nag; qi++) {
        const QSpec *spec = &e->qs[qi];
        int nqa = selected(e, &sel, about_work(spec->name), qags);
        if (!nqa) continue; /* no agreement for this question (the header says which apply) */
        const IrQuestion *q0 = ir_question(qags[0], spec->name);
        /* the argument tuples: explicit, or every relevant one (SPEC §12.4) */
        Value tuples[512][2];
        int ntuples = 0;
        if (q0->nparams == 0) ntuples = 1;
        else if (spec->nargs) {
            for (int a = 0; a < q0->nparams && a < 2; a++) tuples[0][a] = e->qargs[qi][a];
            ntuples = 1;
        } else {
            Value d0 = arg_domain(e, q0->ptypes[0], k, qags, nqa);
            Value d1 = q0->nparams > 1 ? arg_domain(e, q0->ptypes[1], k, qags, nqa) : d0;
            for (int x = 1; x < 256; x++) {
                if (!set_has(&d0, x)) continue;
                for (int y = q0->nparams > 1 ? 1 : 0; y < (q0->nparams > 1 ? 256 : 1); y++) {
                    if (q0->nparams > 1 && !set_has(&d1, y)) continue;
                    if (ntuples == 512) break;
                    memset(tuples[ntuples], 0, sizeof tuples[ntuples]);
                    tuples[ntuples][0].kind = q0->ptypes[0]->kind;
                    tuples[ntuples][0].i = x;
                    if (q0->nparams > 1) {
                        tuples[ntuples][1].kind = q0->ptypes[1]->kind;
                        tuples[ntuples][1].i = y;
                    }
                    ntuples++;
                }
            }
        }
        for (int ti = 0; ti < ntuples; ti++) {
            json_t *jq = json_object();
            json_object_set_new(jq, "question", json_string(q0->name));
            json_t *jargs = json_array();
            for (int a = 0; a < q0->nparams; a++) json_array_append_new(jargs, value_to_json(&tuples[ti][a], q0->ptypes[a]));
            json_object_set_new(jq, "args", jargs);
            json_t *per = json_array();
            Answer ans[EVAL_MAX_AGREEMENTS];
            for (int i = 0; i < nqa; i++) {
                int ai = 0;
                for (int j = 0; j < e->nag; j++)
                    if (e->ag[j] == qags[i]) ai = j;
                Trace tr = {0};
                const IrQuestion *q = ir_question(qags[i], spec->name);
                ans[i].ag = qags[i];
                ans[i].dropped = false;
                ans[i].o = ask_agreement(e, 0, ai, k, q, tuples[ti], &tr);
                for (size_t x = 0; x < tr.n; x++)
                    if (tr.ev[x].kind == TR_FACT) facts_read[tr.ev[x].slot] = true;
                json_t *ja = outcome_json(&ans[i], q);
                json_object_set_new(ja, "steps", steps_json(e, &tr));
                /* the deciding articles with their titles and prose */
                json_t *arts = json_array();
                for (int r = 0; r < ans[i].o.nrules; r++) {
                    const IrArticle *art = ans[i].o.rules[r]->article;
                    if (!art) continue;
                    json_t *x = json_object();
                    json_object_set_new(x, "article", json_string(art->cite));
                    if (art->title) json_object_set_new(x, "title", json_string(art->title));
                    if (art->prose) json_object_set_new(x, "prose", json_string(art->prose));
                    json_array_append_new(arts, x);
                }
                json_object_set_new(ja, "deciding_articles", arts);
                json_array_append_new(per, ja);
                trace_free(&tr);
            }
            json_t *combined = combine_agreements(ans, nqa, q0, NULL);
            for (int i = 0; i < nqa; i++)
                if (ans[i].dropped)
                    json_object_set_new(json_array_get(per, (size_t)i), "set_aside", json_string(ans[i].why));
            json_object_set_new(jq, "by_agreement", per);
            json_object_set_new(jq, "answer", combined);
            json_array_append_new(questions, jq);
        }
    }
    json_t *facts = json_object();
    const IrRecord *cr = e->voc->case_rec;
    for (int f = 0; f < cr->nfields; f++)
        if (facts_read[f]) json_object_set_new(facts, cr->fields[f].name, value_to_json(&k->agg.items[f], cr->fields[f].type));
    json_object_set_new(doc, "facts_used", facts);
    json_object_set_new(doc, "questions", questions);
    return doc;
}

int engine_explain(Engine *e, const Value *k, const char *id, bool as_json, FILE *out) {
    json_t *doc = engine_explain_json(e, k, id);
    if (as_json) {
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        fprintf(out, "%s\n", s);
        free(s);
        json_decref(doc);
        return 0;
    }
    /* the same, for a person */
    const IrAgreement *ags[EVAL_MAX_AGREEMENTS];
    Selection sel;
    char db[11];
    int nag = explain_selection(e, k, &sel, ags, db);
    Value inv = involved(e, k, false);
    json_t *facts = json_object_get(doc, "facts_used"), *questions = json_object_get(doc, "questions");
    const IrRecord *cr = e->voc->case_rec;
    fprintf(out, "Case %s, determination date %s\n", id ? id : "(no id)", db);
    char ib[1024];
    value_format(ib, sizeof ib, &inv, &ty_country_set);
    fprintf(out, "States involved: %s\n", ib);
    if (!nag) {
        fprintf(out, "No agreement applies: none is in force on %s with two of these states among its parties.\n", db);
        json_decref(doc);
        return 0;
    }
    fprintf(out, "Agreements that apply:\n");
    for (int i = 0; i < nag; i++) fprintf(out, "  %s: %s\n", ags[i]->id, ags[i]->title ? ags[i]->title : "");
    fprintf(out, "\nFacts used:\n");
    for (int f = 0; f < cr->nfields; f++) {
        if (!json_object_get(facts, cr->fields[f].name)) continue;
        char vb[2048];
        value_format(vb, sizeof vb, &k->agg.items[f], cr->fields[f].type);
        fprintf(out, "  %s = %s\n", cr->fields[f].name, vb);
    }
    size_t qi;
    json_t *jq;
    json_array_foreach(questions, qi, jq) {
        fprintf(out, "\n%s", json_string_value(json_object_get(jq, "question")));
        print_args(out, json_object_get(jq, "args"));
        fputc('\n', out);
        size_t ai;
        json_t *ja;
        json_array_foreach(json_object_get(jq, "by_agreement"), ai, ja) {
            fprintf(out, "  under %s:\n", json_string_value(json_object_get(ja, "agreement")));
            print_steps(out, json_object_get(ja, "steps"));
            json_t *aside = json_object_get(ja, "set_aside");
            if (aside) fprintf(out, "    this answer is set aside: %s\n", json_string_value(aside));
        }
        json_t *answer = json_object_get(jq, "answer");
        const char *oc = json_string_value(json_object_get(answer, "outcome"));
        json_t *v = json_object_get(answer, "value");
        fprintf(out, "  Decision: %s", oc);
        if (v) {
            fputs(", ", out);
            print_scalar(out, v);
        }
        json_t *arts = json_object_get(answer, "articles");
        if (json_array_size(arts)) {
            fputs(" by", out);
            for (size_t x = 0; x < json_array_size(arts); x++)
                fprintf(out, "%s %s", x ? "," : "", json_string_value(json_array_get(arts, x)));
            json_t *ag = json_object_get(answer, "agreement");
            if (ag) fprintf(out, " of %s", json_string_value(ag));
        }
        json_t *between = json_object_get(answer, "between");
        if (between && json_object_get(json_array_get(between, 0), "agreement")) {
            /* a conflict between agreements: name each with its answer */
            fputs(" between", out);
            for (size_t x = 0; x < json_array_size(between); x++) {
                json_t *b = json_array_get(between, x);
                fprintf(out, "%s %s (", x ? " and" : "", json_string_value(json_object_get(b, "agreement")));
                print_scalar(out, json_object_get(b, "value"));
                json_t *ba = json_object_get(b, "articles");
                for (size_t y = 0; y < json_array_size(ba); y++)
                    fprintf(out, "%s%s", y ? ", " : " by ", json_string_value(json_array_get(ba, y)));
                fputc(')', out);
            }
        }
        json_t *reason = json_object_get(answer, "reason");
        if (reason) fprintf(out, " (%s)", json_string_value(reason));
        fputc('\n', out);
        /* the prose of the articles that decided, for the agreements that gave the answer */
        const char *winner = json_string_value(json_object_get(answer, "agreement"));
        json_array_foreach(json_object_get(jq, "by_agreement"), ai, ja) {
            const char *agid = json_string_value(json_object_get(ja, "agreement"));
            bool used = winner && !strcmp(winner, agid);
            size_t z;
            json_t *al;
            json_array_foreach(json_object_get(answer, "also"), z, al)
                if (!strcmp(json_string_value(json_object_get(al, "agreement")), agid)) used = true;
            if (!used) continue;
            size_t x;
            json_t *art;
            json_array_foreach(json_object_get(ja, "deciding_articles"), x, art) {
                json_t *title = json_object_get(art, "title"), *prose = json_object_get(art, "prose");
                fprintf(out, "    %s%s%s%s\n", json_string_value(json_object_get(art, "article")), title ? " \"" : "",
                        title ? json_string_value(title) : "", title ? "\"" : "");
                if (prose) print_prose(out, json_string_value(prose), 6);
            }
        }
    }
    json_decref(doc);
    return 0;
}
