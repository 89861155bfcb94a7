/* eu_hand.c - 883/2004 applicable legislation by hand; see eu_hand.h.
 *
 * One pass over the activities collects every fact the rules test (the
 * places of work, the employers' seats, the civil service states, the
 * shares in the State of residence, the postings); then each rule's
 * condition is a line of C, and the rules are combined as the agreement's
 * exception structure says (SPEC §6.3), written out for this rule set:
 *
 *   Art. 16(1) (priority 2) is an exception to every rule of Art. 11, so
 *   when it applies it is the answer;
 *   the rules of Arts 12 and 13 ("Subject to Articles 12 to 16", Art. 11(3))
 *   are exceptions to every point of 11(3), 13(4) with priority 1 over the
 *   others; 12(1) and 12(2) are also exceptions to 11(4) first sentence and
 *   11(5) (which only deem the place of the activity);
 *   11(4), 11(5), 12(1), 12(2), 13(1)-(3) are exceptions to 11(3)(a) of
 *   equal standing (agreeing answers agree, different ones conflict, a
 *   failure among them is the answer); 11(4) second sentence is an
 *   exception to 11(4) first sentence; 987/2009 Art. 14(11) is an
 *   exception to each rule of 13(1);
 *   the five points of 11(3) are the roots, of equal standing: when a rule
 *   of Arts 12-13 applies, it replaces each of them (for 11(3)(a) together
 *   with 11(4) and 11(5), which may still conflict with it).
 */
#include "eu_hand.h"
#include "accord_cg.h"
#include "iso.h"

const char *const eu_rule_labels[EU_NRULES] = {
    "lex_loci_laboris", "civil_servant", "unemployment_benefit", "armed_service", "residence",
    "flag_state", "remunerating_undertaking", "home_base", "posted_employee", "posted_self_employed",
    "substantial_part_employed", "single_employer_seat", "other_seat_than_residence", "seats_in_other_states",
    "substantial_part_self_employed", "employed_activity_prevails", "civil_servant_with_other_activity",
    "common_agreement", "employer_outside_union"};

const EuParty eu_parties[] = {
    {"AT", 0, 0, 0, 0, 0, 0}, {"BE", 0, 0, 0, 0, 0, 0}, {"BG", 0, 0, 0, 0, 0, 0}, {"HR", 2013, 7, 1, 0, 0, 0},
    {"CY", 0, 0, 0, 0, 0, 0}, {"CZ", 0, 0, 0, 0, 0, 0}, {"DK", 0, 0, 0, 0, 0, 0}, {"EE", 0, 0, 0, 0, 0, 0},
    {"FI", 0, 0, 0, 0, 0, 0}, {"FR", 0, 0, 0, 0, 0, 0}, {"DE", 0, 0, 0, 0, 0, 0}, {"GR", 0, 0, 0, 0, 0, 0},
    {"HU", 0, 0, 0, 0, 0, 0}, {"IE", 0, 0, 0, 0, 0, 0}, {"IT", 0, 0, 0, 0, 0, 0}, {"LV", 0, 0, 0, 0, 0, 0},
    {"LT", 0, 0, 0, 0, 0, 0}, {"LU", 0, 0, 0, 0, 0, 0}, {"MT", 0, 0, 0, 0, 0, 0}, {"NL", 0, 0, 0, 0, 0, 0},
    {"PL", 0, 0, 0, 0, 0, 0}, {"PT", 0, 0, 0, 0, 0, 0}, {"RO", 0, 0, 0, 0, 0, 0}, {"SK", 0, 0, 0, 0, 0, 0},
    {"SI", 0, 0, 0, 0, 0, 0}, {"ES", 0, 0, 0, 0, 0, 0}, {"SE", 0, 0, 0, 0, 0, 0}, {"GB", 0, 0, 0, 2021, 1, 1},
    {"IS", 2012, 6, 1, 0, 0, 0}, {"LI", 2012, 6, 1, 0, 0, 0}, {"NO", 2012, 6, 1, 0, 0, 0}, {"CH", 2012, 4, 1, 0, 0, 0},
};
const int eu_nparties = (int)(sizeof eu_parties / sizeof eu_parties[0]);

/* per country ordinal: a party on [from, until), days since 0001-01-01;
 * not a party: from > until */
static acc_cdate party_from[256], party_until[256];
static acc_cdate in_force;

bool eu_init(void) {
    for (int i = 0; i < 256; i++) party_from[i] = INT32_MAX, party_until[i] = INT32_MIN;
    for (int i = 0; i < eu_nparties; i++) {
        const EuParty *p = &eu_parties[i];
        int c = acc_country_lookup(p->code, 2);
        if (c <= 0 || c > 255) return false;
        party_from[c] = p->from_y ? acc_cdate_from(acc_date_from_ymd(p->from_y, p->from_m, p->from_d)) : INT32_MIN;
        party_until[c] = p->until_y ? acc_cdate_from(acc_date_from_ymd(p->until_y, p->until_m, p->until_d)) : INT32_MAX;
    }
    in_force = acc_cdate_from(acc_date_from_ymd(EU_IN_FORCE_Y, EU_IN_FORCE_M, EU_IN_FORCE_D));
    return true;
}

bool eu_party(int c, acc_cdate d) { return d >= party_from[c & 255] && d < party_until[c & 255]; }

/* ---- small sets of country ordinals (ordinal order = SPEC §4.6 order) ---- */
typedef struct { uint64_t w[4]; int n; } Set; /* n: the number of elements */
static inline bool set_has(const Set *s, int c) { return s->w[c >> 6] >> (c & 63) & 1; }
static inline void set_add(Set *s, int c) {
    if (set_has(s, c)) return;
    s->w[c >> 6] |= (uint64_t)1 << (c & 63);
    s->n++;
}
static inline bool set_empty(const Set *s) { return !(s->w[0] | s->w[1] | s->w[2] | s->w[3]); }
/* the smallest element other than `skip` (-1: none), or 0 */
static inline int set_first(const Set *s, int skip) {
    for (int k = 0; k < 4; k++) {
        uint64_t w = s->w[k];
        if (skip >= 0 && skip >> 6 == k) w &= ~((uint64_t)1 << (skip & 63));
        if (w) return k * 64 + __builtin_ctzll(w);
    }
    return 0;
}

/* ---- one rule's answer, and their combination (SPEC §6.3) ---------------- */
#define NONE (-1)
static const EuAnswer nothing = {NONE, 0, 0, {-1, -1}, {0, 0}};
static inline EuAnswer decided(int rule, int v) {
    EuAnswer a = {ACC_DECIDED, v, 1u << rule, {rule, -1}, {0, 0}};
    return a;
}
static inline EuAnswer failed(int rule) {
    EuAnswer a = {ACC_ERROR, 0, 1u << rule, {rule, -1}, {0, 0}};
    return a;
}

/* Rules of equal standing: the first failure is the answer; agreeing answers
 * agree (their rules are united); the first different one conflicts. */
static EuAnswer combine(const EuAnswer *r, int n) {
    for (int i = 0; i < n; i++)
        if (r[i].kind != NONE && r[i].kind != ACC_DECIDED) return r[i];
    EuAnswer best = nothing;
    for (int i = 0; i < n; i++) {
        if (r[i].kind == NONE) continue;
        if (best.kind == NONE) best = r[i];
        else if (r[i].value == best.value) best.rules |= r[i].rules;
        else {
            EuAnswer cf = {ACC_CONFLICT, 0, 1u << best.rule[0] | 1u << r[i].rule[0], {best.rule[0], r[i].rule[0]},
                           {best.value, r[i].value}};
            return cf;
        }
    }
    return best;
}

/* prelude posting_months: an unknown or inverted posting counts 1200 months */
static int64_t posting_months(const EuPosting *p) {
    if (p->start == 0 || p->anticipated_end == 0 || p->anticipated_end < p->start) return 1200;
    return acc_period_months(acc_cdate_to(p->start), acc_cdate_to(p->anticipated_end));
}

/* sum += x, exactly; false on overflow (the interpreter's error) */
static inline bool add_share(acc_rat *sum, acc_rat x) {
    return acc_rat_add(sum->num, sum->den, x.num, x.den ? x.den : 1, sum);
}

EuAnswer eu_decide(const EuCase *c) {
    const acc_cdate D = c->date;
    EuAnswer out = nothing;
    /* time (Art. 91) and personal scope (Art. 2) */
    if (D < in_force) {
        out.kind = ACC_NOT_COVERED;
        return out;
    }
    const EuPerson *pe = &c->person;
    const int res = pe->residence;
    bool covered = pe->role == EU_ROLE_FAMILY_MEMBER || pe->role == EU_ROLE_SURVIVOR ||
                   ((pe->stateless || pe->refugee) && eu_party(res, D));
    for (int k = 0; k < 4 && !covered; k++)
        for (uint64_t w = pe->nationalities.bits[k]; w && !covered; w &= w - 1)
            covered = eu_party(k * 64 + __builtin_ctzll(w), D);
    if (!covered) {
        out.kind = ACC_NOT_COVERED;
        return out;
    }
    /* Art. 16(1): a State agreed in common is the answer, whatever else applies */
    const int E = c->exception_state;
    if (E && eu_party(E, D)) return decided(EU_R_COMMON_AGREEMENT, E);

    /* the facts, in one pass (987/2009 Art. 14(5b): marginal activities are
     * disregarded unless every gainful activity is marginal) */
    const EuActivity *acts = c->activities.items;
    const uint32_t n = c->activities.n;
    bool all_marginal = true;
    for (uint32_t i = 0; i < n; i++) {
        const EuActivity *a = &acts[i];
        if ((a->kind == EU_KIND_EMPLOYED || a->kind == EU_KIND_SELF_EMPLOYED) && !a->marginal) all_marginal = false;
    }
    Set work = {{0}, 0}, employed = {{0}, 0}, self_employed = {{0}, 0}, seats = {{0}, 0}, civil = {{0}, 0};
    const EuActivity *first = NULL; /* the first considered activity */
    int ncons = 0;
    bool all_at_sea = true, all_air = true, remunerated_at_home = true, posted_12_1 = false, posted_12_2 = false;
    acc_rat share_emp = {0, 1}, share_self = {0, 1};
    bool share_emp_ok = true, share_self_ok = true;
    for (uint32_t i = 0; i < n; i++) {
        const EuActivity *a = &acts[i];
        if (a->kind == EU_KIND_CIVIL_SERVANT) { /* Art. 11(3)(b): the administration's State */
            int admin = a->employer_seat ? a->employer_seat : a->state;
            if (eu_party(admin, D)) set_add(&civil, admin);
            continue;
        }
        if (!a->kind || (a->marginal && !all_marginal)) continue;
        /* Art. 11(4) and (5): the flag or the home base is the place of work */
        int place = a->sector == EU_SECTOR_SEA && a->flag_state ? a->flag_state
                    : a->sector == EU_SECTOR_AIR && a->home_base ? a->home_base
                                                                 : a->state;
        bool emp = a->kind == EU_KIND_EMPLOYED;
        if (!first) first = a;
        ncons++;
        if (eu_party(place, D)) {
            set_add(&work, place);
            if (emp) {
                set_add(&employed, place);
                set_add(&seats, a->employer_seat);
            } else {
                set_add(&self_employed, place);
            }
        }
        all_at_sea = all_at_sea && a->sector == EU_SECTOR_SEA && eu_party(a->flag_state, D);
        all_air = all_air && a->sector == EU_SECTOR_AIR && eu_party(a->home_base, D);
        remunerated_at_home = remunerated_at_home && emp && eu_party(a->employer_seat, D) &&
                              a->employer_seat != a->flag_state && a->employer_seat == res;
        if (place == res) { /* 987/2009 Art. 14(8): the shares in the State of residence */
            if (emp) share_emp_ok = share_emp_ok && add_share(&share_emp, a->share);
            else share_self_ok = share_self_ok && add_share(&share_self, a->share);
        }
        /* Art. 12: a posting in course, within 24 months, from another Member State */
        const EuPosting *p = &a->posting;
        if (a->posted && D <= p->anticipated_end && eu_party(p->sending_state, D) && eu_party(a->state, D) &&
            p->sending_state != a->state && p->employer_substantial_activity && p->months_insured_before > 0) {
            if (emp) posted_12_1 = posted_12_1 || (posting_months(p) <= 24 && !p->replaces_posted_person);
            else posted_12_2 = posted_12_2 || (p->similar_activity && posting_months(p) <= 24);
        }
    }
    const int nwork = work.n, nemp = employed.n, nself = self_employed.n, nseats = seats.n, ncivil = civil.n;
    const bool res_party = eu_party(res, D);
    bool seats_in_ms = true, seats_outside = true;
    for (int k = 0; k < 4; k++)
        for (uint64_t w = seats.w[k]; w; w &= w - 1) {
            int s = k * 64 + __builtin_ctzll(w);
            seats_in_ms = seats_in_ms && eu_party(s, D);
            seats_outside = seats_outside && s && !eu_party(s, D);
        }
    /* 25 % is a substantial part (987/2009 Art. 14(8)) */
    const bool subst_emp = share_emp_ok && acc_rat_cmp(share_emp.num, share_emp.den, 1, 4) >= 0;
    const bool subst_self = share_self_ok && acc_rat_cmp(share_self.num, share_self.den, 1, 4) >= 0;

    /* 13(1)(b) and 987/2009 14(11) ask "not substantial" once two States are in play */
    EuAnswer r13[4];
    bool two_or_more = nemp >= 2;
    EuAnswer outside = nothing;                         /* 987/2009 Art. 14(11) */
    if (two_or_more && res_party) {
        if (!share_emp_ok) outside = failed(EU_R_EMPLOYER_OUTSIDE_UNION);
        else if (!subst_emp && seats_outside) outside = decided(EU_R_EMPLOYER_OUTSIDE_UNION, res);
    }
    if (outside.kind != NONE) {
        r13[0] = r13[1] = r13[2] = r13[3] = outside;     /* the exception replaces each rule of 13(1) */
    } else {
        r13[0] = r13[1] = r13[2] = r13[3] = nothing;
        if (two_or_more && res_party) /* 13(1)(a) */
            r13[0] = !share_emp_ok ? failed(EU_R_SUBSTANTIAL_PART_EMPLOYED)
                     : subst_emp   ? decided(EU_R_SUBSTANTIAL_PART_EMPLOYED, res)
                                   : nothing;
        if (two_or_more && !share_emp_ok) {
            r13[1] = failed(EU_R_SINGLE_EMPLOYER_SEAT);
            r13[2] = failed(EU_R_OTHER_SEAT_THAN_RESIDENCE);
            r13[3] = failed(EU_R_SEATS_IN_OTHER_STATES);
        } else if (two_or_more && !subst_emp && seats_in_ms) {
            if (nseats == 1) r13[1] = decided(EU_R_SINGLE_EMPLOYER_SEAT, set_first(&seats, -1));
            if (nseats == 2 && set_has(&seats, res))
                r13[2] = decided(EU_R_OTHER_SEAT_THAN_RESIDENCE, set_first(&seats, res));
            if (res_party && nseats - set_has(&seats, res) >= 2) r13[3] = decided(EU_R_SEATS_IN_OTHER_STATES, res);
        }
    }
    /* the exceptions to 11(3)(a) */
    EuAnswer civil_other = nothing; /* Art. 13(4), priority 1 */
    if (ncivil == 1) {
        Set elsewhere = work;
        for (int k = 0; k < 4; k++) elsewhere.w[k] &= ~civil.w[k];
        if (!set_empty(&elsewhere)) civil_other = decided(EU_R_CIVIL_SERVANT_OTHER, set_first(&civil, -1));
    }
    EuAnswer lex, arts12_13;
    if (civil_other.kind != NONE) {
        lex = arts12_13 = civil_other;
    } else {
        EuAnswer ex[10];
        ex[2] = ncons == 1 && posted_12_1 ? decided(EU_R_POSTED_EMPLOYEE, first->posting.sending_state) : nothing;
        ex[3] = ncons == 1 && posted_12_2 ? decided(EU_R_POSTED_SELF_EMPLOYED, first->posting.sending_state) : nothing;
        /* Art. 11(4): its second sentence and Art. 12 are exceptions to the first */
        EuAnswer flag_ex[3] = {nwork == 1 && all_at_sea && remunerated_at_home
                                   ? decided(EU_R_REMUNERATING_UNDERTAKING, first->employer_seat)
                                   : nothing,
                               ex[2], ex[3]};
        ex[0] = combine(flag_ex, 3);
        if (ex[0].kind == NONE && nwork == 1 && all_at_sea) ex[0] = decided(EU_R_FLAG_STATE, first->flag_state);
        /* Art. 11(5): Art. 12 is an exception to it */
        ex[1] = combine(ex + 2, 2);
        if (ex[1].kind == NONE && nwork == 1 && all_air) ex[1] = decided(EU_R_HOME_BASE, first->home_base);
        ex[4] = r13[0], ex[5] = r13[1], ex[6] = r13[2], ex[7] = r13[3];
        ex[8] = nothing; /* 13(2)(a) */
        if (nself >= 2 && nemp == 0 && res_party)
            ex[8] = !share_self_ok ? failed(EU_R_SUBSTANTIAL_PART_SELF)
                    : subst_self   ? decided(EU_R_SUBSTANTIAL_PART_SELF, res)
                                   : nothing;
        ex[9] = nothing; /* 13(3) */
        if (nemp == 1) {
            Set other = self_employed;
            for (int k = 0; k < 4; k++) other.w[k] &= ~employed.w[k];
            if (!set_empty(&other)) ex[9] = decided(EU_R_EMPLOYED_PREVAILS, set_first(&employed, -1));
        }
        lex = combine(ex, 10);
        if (lex.kind == NONE && nwork == 1) lex = decided(EU_R_LEX_LOCI_LABORIS, set_first(&work, -1));
        arts12_13 = combine(ex + 2, 8); /* the exceptions to the other points of 11(3) */
    }
    /* the roots: the five points of Art. 11(3) */
    const int U = c->unemployment_benefit_from, A = c->armed_service;
    EuAnswer roots[5];
    roots[0] = lex;
    if (arts12_13.kind != NONE) {
        /* Art. 11(3) applies "subject to Articles 12 to 16": their rule
         * replaces every point (b)-(e) as well */
        roots[1] = roots[2] = roots[3] = roots[4] = arts12_13;
    } else {
        roots[1] = ncivil == 1 ? decided(EU_R_CIVIL_SERVANT, set_first(&civil, -1)) : nothing;
        roots[2] = U && eu_party(U, D) && U == res ? decided(EU_R_UNEMPLOYMENT_BENEFIT, U) : nothing;
        roots[3] = A && eu_party(A, D) ? decided(EU_R_ARMED_SERVICE, A) : nothing;
        roots[4] = res_party && nwork == 0 && ncivil == 0 && !eu_party(U, D) && !eu_party(A, D)
                       ? decided(EU_R_RESIDENCE, res)
                       : nothing;
    }
    out = combine(roots, 5);
    if (out.kind == NONE) out.kind = ACC_UNDETERMINED;
    return out;
}
