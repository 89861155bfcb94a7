/* peer_hand.h - the peer rule set (bench/peer-rules.accord) written directly
 * in C, as a C programmer would: a flat struct of small integers and one
 * function.  It is the "hand-written C" column of the benchmark and a second
 * oracle: bench/peer_bench.c checks that the interpreter agrees with it on
 * every generated case.  Countries and enum constants are the vocabulary's
 * ordinals (0 = none); peer_bench.c checks the constants below against the
 * vocabulary at start-up.  ORDER: agreements/std/prelude.accord enums. */
#ifndef ACCORD_PEER_HAND_H
#define ACCORD_PEER_HAND_H
#include <stdbool.h>
#include <stdint.h>

#define PEER_KIND_CIVIL_SERVANT 3 /* activity_kind: employed, self_employed, civil_servant */
#define PEER_SECTOR_SEA 2         /* sector: general, sea, ... */
#define PEER_MAX_ACT 3

typedef struct PeerActivity {
    uint8_t state, kind, sector, seat, flag, share_pct;
    bool marginal, posted;
    int32_t start, end;           /* posting dates, days since 1970-01-01 */
    int32_t insured_before;       /* months */
} PeerActivity;

typedef struct PeerCase {
    uint8_t exception_state, residence, unemployment_from, nact;
    PeerActivity act[PEER_MAX_ACT];
} PeerCase;

/* The applicable legislation (a country ordinal, 0 = none). */
int peer_decide(const PeerCase *c);
#endif
