/* mini_module.c - a hand-written evaluator descriptor for libaccord's tests.
 *
 * A small vocabulary ("mini") with every kind of case field, and two
 * questions answered by hand-written C, so that the loader, the case reader,
 * the result and trace printers can be tested without the code generator
 * (tests/unit/test_libaccord.c includes this file; tests/run_cabi.sh builds
 * it as a shared library, also with a wrong ABI version or vocabulary hash:
 * -DMINI_ABI=N, -DMINI_VOCAB_HASH="..."). */
#include "accord.h"
#include <stddef.h>
#include <string.h>

#ifndef MINI_ABI
#define MINI_ABI ACC_ABI_VERSION
#endif
#ifndef MINI_VOCAB_HASH
#define MINI_VOCAB_HASH "mini-vocab-1"
#endif

typedef struct mini_posting { uint8_t sending_state; acc_cdate start; int64_t months; } mini_posting;
typedef struct mini_activity { uint8_t state; uint8_t kind; acc_rat share; bool posted; mini_posting posting; } mini_activity;
typedef struct mini_period { uint8_t state; uint8_t branch; acc_cdate from, to; } mini_period;
typedef struct mini_case {
    acc_cdate date;
    acc_set nationalities;
    acc_set branches;
    acc_list activities;
    acc_list periods;
    acc_money income;
    acc_rat rate;
    int64_t days;
    int64_t count;
    acc_exact_money bonus;
} mini_case;

static const char *const branch_consts[] = {"old_age", "sickness"};
static const char *const kind_consts[] = {"employed", "self_employed"};
static const acc_enum_desc mini_enums[] = {{"branch", 2, branch_consts}, {"activity_kind", 2, kind_consts}};

#define F(rec, name, kind, elem, ref) {#name, kind, elem, ref, offsetof(rec, name), sizeof(((rec *)0)->name)}
static const acc_field_desc posting_fields[] = {
    F(mini_posting, sending_state, ACC_T_COUNTRY, 0, -1),
    F(mini_posting, start, ACC_T_DATE, 0, -1),
    F(mini_posting, months, ACC_T_MONTHS, 0, -1),
};
static const acc_field_desc activity_fields[] = {
    F(mini_activity, state, ACC_T_COUNTRY, 0, -1),
    F(mini_activity, kind, ACC_T_ENUM, 0, 1),
    F(mini_activity, share, ACC_T_PERCENT, 0, -1),
    F(mini_activity, posted, ACC_T_BOOL, 0, -1),
    F(mini_activity, posting, ACC_T_RECORD, 0, 0),
};
static const acc_field_desc period_fields[] = {
    F(mini_period, state, ACC_T_COUNTRY, 0, -1),
    F(mini_period, branch, ACC_T_ENUM, 0, 0),
    F(mini_period, from, ACC_T_DATE, 0, -1),
    F(mini_period, to, ACC_T_DATE, 0, -1),
};
static const acc_field_desc case_fields[] = {
    F(mini_case, date, ACC_T_DATE, 0, -1),
    F(mini_case, nationalities, ACC_T_SET, ACC_T_COUNTRY, -1),
    F(mini_case, branches, ACC_T_SET, ACC_T_ENUM, 0),
    F(mini_case, activities, ACC_T_LIST, ACC_T_RECORD, 1),
    F(mini_case, periods, ACC_T_LIST, ACC_T_RECORD, 2),
    F(mini_case, income, ACC_T_MONEY, 0, -1),
    F(mini_case, rate, ACC_T_RATIO, 0, -1),
    F(mini_case, days, ACC_T_DAYS, 0, -1),
    F(mini_case, count, ACC_T_INT, 0, -1),
    F(mini_case, bonus, ACC_T_EXACT_MONEY, 0, -1),
};
#undef F
#define R(name, type, fields) {#name, sizeof(type), _Alignof(type), sizeof fields / sizeof fields[0], fields}
static const acc_record_desc mini_records[] = {
    R(posting, mini_posting, posting_fields),
    R(activity, mini_activity, activity_fields),
    R(period, mini_period, period_fields),
    R(case, mini_case, case_fields),
};
#undef R

static const acc_rule_desc mini_rules[] = {
    {NULL, "Art. 11(3)(a)", "mini.accord", 10},
    {"posting", "Art. 12(1)", "mini.accord", 14},
    {NULL, "Art. 3", "mini.accord", 20},
};
static const acc_expr_desc mini_exprs[] = {{"a.posted", 14, 30}, {"b in branches", 20, 22}};

/* applicable_legislation: the state of the first activity (Art. 11(3)(a)),
 * or the sending state of a posting (Art. 12(1), an exception) */
static void ask_law_traced(const void *kase, const acc_value *args, acc_result *out, acc_trace *t) {
    (void)args;
    const mini_case *c = kase;
    memset(out, 0, sizeof *out);
    acc_trace_event *e;
    if (t && (e = acc_trace_add(t, ACC_TR_ASK))) e->question = 0;
    if (t) t->depth++;
    if (t && (e = acc_trace_add(t, ACC_TR_FACT))) e->slot = 3;
    if (c->activities.n == 0) {
        out->kind = ACC_UNDETERMINED;
        out->why.code = ACC_WHY_TEXT;
        snprintf(out->why.text, sizeof out->why.text, "no rule applies");
    } else {
        const mini_activity *a = c->activities.items;
        out->kind = ACC_DECIDED;
        out->nrules = 1;
        out->value.kind = ACC_T_COUNTRY;
        if (a->posted) {
            out->rules[0] = 1;
            out->value.i = a->posting.sending_state;
            if (t && (e = acc_trace_add(t, ACC_TR_OVERRIDDEN))) e->rule = 0, e->by = 1;
        } else {
            out->rules[0] = 0;
            out->value.i = a->state;
            if (t && (e = acc_trace_add(t, ACC_TR_COND_FALSE))) e->rule = 1, e->expr = 0;
        }
        if (t && (e = acc_trace_add(t, ACC_TR_DECIDED))) e->rule = out->rules[0], e->value = out->value;
    }
    if (t) t->depth--;
    if (t && (e = acc_trace_add(t, ACC_TR_ANSWER))) e->question = 0, e->outcome = out->kind, e->value = out->value;
}
static void ask_law(const void *kase, const acc_value *args, acc_result *out) { ask_law_traced(kase, args, out, NULL); }

/* covered(b): b is among the case's branches (Art. 3) */
static void ask_covered(const void *kase, const acc_value *args, acc_result *out) {
    const mini_case *c = kase;
    memset(out, 0, sizeof *out);
    out->kind = ACC_DECIDED;
    out->nrules = 1;
    out->rules[0] = 2;
    out->value.kind = ACC_T_BOOL;
    int64_t b = args[0].i;
    out->value.b = b > 0 && b < 256 && ((c->branches.bits[b >> 6] >> (b & 63)) & 1);
}

static const acc_param_desc covered_params[] = {{"branch", ACC_T_ENUM, 0}};
static const acc_question_desc mini_questions[] = {
    {"applicable_legislation", 0, NULL, ACC_T_COUNTRY, -1, ask_law, ask_law_traced, NULL},
    {"covered", 1, covered_params, ACC_T_BOOL, -1, ask_covered, NULL, NULL},
};

static bool mini_in_scope(const void *kase) { return ((const mini_case *)kase)->date != 0; }

const acc_module accord_module_mini = {
    .abi_version = MINI_ABI,
    .agreement_id = "mini",
    .title = "A hand-written test evaluator",
    .in_force = "2000-01-01",
    .source_hash = "0000000000000000",
    .vocab_hash = MINI_VOCAB_HASH,
    .compiler_version = "test",
    .case_record = 3,
    .nrecords = 4,
    .nenums = 2,
    .nquestions = 2,
    .nrules = 3,
    .nexprs = 2,
    .records = mini_records,
    .enums = mini_enums,
    .questions = mini_questions,
    .rules = mini_rules,
    .exprs = mini_exprs,
    .in_personal_scope = mini_in_scope,
};
#ifdef MINI_SHARED
/* the name acc_load looks for in a shared library */
extern const acc_module accord_module __attribute__((alias("accord_module_mini")));
#endif
