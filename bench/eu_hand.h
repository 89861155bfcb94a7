/* eu_hand.h - the applicable legislation of Regulation (EC) No 883/2004
 * (agreements/eu_883_2004.accord: Title II, Arts 11-16, with the 987/2009
 * Art. 14 definitions it uses, the personal scope of Art. 2, the date of
 * application and the parties' accession and withdrawal dates) written
 * directly in C, as a C programmer would, over the case as compiled
 * evaluators receive it (runtime/accord.h, ABI 1).  It is the
 * "hand-written C" column of the EU benchmark and a second oracle:
 * bench/eu_bench.c checks that the reference interpreter agrees with it on
 * outcome kind, value and deciding rules for every generated case.
 *
 * Consumes: a packed case (the structs below mirror the layout that
 * compiler/layout.c computes; eu_bench.c checks every offset and size at
 * start-up, and the enum ordinals and the party table against the checked
 * agreement).  Produces: an EuAnswer.  Memory: none; eu_init fills a
 * static table once (call it before eu_decide; not thread-safe itself,
 * eu_decide is).
 *
 * ORDER: the struct fields follow agreements/std/prelude.accord; the rule
 * numbering EU_R_* follows the rules of applicable_legislation in the
 * agreement's source order.
 */
#ifndef ACCORD_EU_HAND_H
#define ACCORD_EU_HAND_H
#include "accord.h"
#include <stdbool.h>
#include <stdint.h>

/* enum ordinals of the vocabulary (0 = not given) */
#define EU_KIND_EMPLOYED 1      /* activity_kind */
#define EU_KIND_SELF_EMPLOYED 2
#define EU_KIND_CIVIL_SERVANT 3
#define EU_SECTOR_SEA 2         /* sector: general, sea, air, ... */
#define EU_SECTOR_AIR 3
#define EU_ROLE_FAMILY_MEMBER 2 /* role: insured_person, family_member, survivor */
#define EU_ROLE_SURVIVOR 3

typedef struct EuPerson {
    acc_set nationalities;
    bool stateless, refugee;
    uint8_t residence;
    acc_cdate birth_date;
    uint8_t migration_status, role;
} EuPerson;

typedef struct EuPosting {
    uint8_t sending_state;
    acc_cdate start, anticipated_end;
    int64_t months_insured_before;
    bool replaces_posted_person, employer_substantial_activity, similar_activity;
} EuPosting;

typedef struct EuActivity {
    uint8_t state, kind, sector, employer_seat;
    acc_rat share;
    bool marginal;
    uint8_t flag_state, home_base;
    bool posted;
    EuPosting posting;
    bool qualified, skilled;
} EuActivity;

typedef struct EuPeriod {
    uint8_t state, branch;
    acc_cdate from, to;
    uint8_t type;
} EuPeriod;

typedef struct EuAmount {
    uint8_t state;
    acc_money theoretical, independent;
    int64_t full_benefit_months;
} EuAmount;

typedef struct EuClaim {
    uint8_t branch;
    acc_cdate date;
    uint8_t residence;
    acc_list amounts;           /* EuAmount */
} EuClaim;

typedef struct EuCase {
    acc_cdate date;
    EuPerson person;
    acc_list activities;        /* EuActivity */
    uint8_t unemployment_benefit_from, armed_service, exception_state;
    acc_list periods;           /* EuPeriod */
    EuClaim claim;
    bool departed;
} EuCase;

/* The rules answering applicable_legislation, in source order. */
enum {
    EU_R_LEX_LOCI_LABORIS,          /* Art. 11(3)(a) */
    EU_R_CIVIL_SERVANT,             /* Art. 11(3)(b) */
    EU_R_UNEMPLOYMENT_BENEFIT,      /* Art. 11(3)(c) */
    EU_R_ARMED_SERVICE,             /* Art. 11(3)(d) */
    EU_R_RESIDENCE,                 /* Art. 11(3)(e) */
    EU_R_FLAG_STATE,                /* Art. 11(4) */
    EU_R_REMUNERATING_UNDERTAKING,  /* Art. 11(4) */
    EU_R_HOME_BASE,                 /* Art. 11(5) */
    EU_R_POSTED_EMPLOYEE,           /* Art. 12(1) */
    EU_R_POSTED_SELF_EMPLOYED,      /* Art. 12(2) */
    EU_R_SUBSTANTIAL_PART_EMPLOYED, /* Art. 13(1)(a) */
    EU_R_SINGLE_EMPLOYER_SEAT,      /* Art. 13(1)(b)(i) */
    EU_R_OTHER_SEAT_THAN_RESIDENCE, /* Art. 13(1)(b)(iii) */
    EU_R_SEATS_IN_OTHER_STATES,     /* Art. 13(1)(b)(iv) */
    EU_R_SUBSTANTIAL_PART_SELF,     /* Art. 13(2)(a) */
    EU_R_EMPLOYED_PREVAILS,         /* Art. 13(3) */
    EU_R_CIVIL_SERVANT_OTHER,       /* Art. 13(4), priority 1 */
    EU_R_COMMON_AGREEMENT,          /* Art. 16(1), priority 2 */
    EU_R_EMPLOYER_OUTSIDE_UNION,    /* 987/2009 Art. 14(11) */
    EU_NRULES
};
extern const char *const eu_rule_labels[EU_NRULES];

/* outcome kinds: the ABI's (ACC_DECIDED ... ACC_ERROR) */
typedef struct EuAnswer {
    int kind;
    int value;                  /* ACC_DECIDED: the country ordinal */
    uint32_t rules;             /* decided: the deciding rules (bit EU_R_*); conflict, error: the rules named */
    int rule[2];                /* conflict: the two rules in conflict; error: rule[0] failed; else -1 */
    int values[2];              /* conflict: the two answers */
} EuAnswer;

/* The parties with their dates, as the agreement's header gives them. */
typedef struct EuParty {
    const char *code;
    int from_y, from_m, from_d; /* 0: a party from the start */
    int until_y, until_m, until_d; /* 0: no withdrawal */
} EuParty;
extern const EuParty eu_parties[];
extern const int eu_nparties;
/* 2010-05-01, Art. 91 */
#define EU_IN_FORCE_Y 2010
#define EU_IN_FORCE_M 5
#define EU_IN_FORCE_D 1

/* Resolve the country codes and dates; false if a code is unknown. */
bool eu_init(void);
/* Is country ordinal c a party on the date d (days since 0001-01-01)? */
bool eu_party(int c, acc_cdate d);
EuAnswer eu_decide(const EuCase *c);
#endif
