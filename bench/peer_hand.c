/* peer_hand.c - the peer rule set by hand; see peer_hand.h. */
#include "peer_hand.h"
#include "accord_rt.h"

/* the prelude's posting_months: an unknown length counts as 1200 months */
static int64_t posting_months(const PeerActivity *a) {
    acc_date none = acc_date_min();
    if (a->start == none || a->end == none || a->end < a->start) return 1200;
    return acc_period_months(a->start, a->end);
}

int peer_decide(const PeerCase *c) {
    int n = c->nact;
    /* 1. an exception agreed for the person (Art. 16) */
    if (c->exception_state) return c->exception_state;
    /* 2. civil servant: the administration's state (Art. 11(3)(b)) */
    for (int i = 0; i < n; i++)
        if (c->act[i].kind == PEER_KIND_CIVIL_SERVANT) return c->act[i].seat;
    /* 3. seafarer: the residence state if the employer is there, else the flag (Art. 11(4)) */
    for (int i = 0; i < n; i++)
        if (c->act[i].sector == PEER_SECTOR_SEA)
            return c->residence == c->act[i].seat ? c->residence : c->act[i].flag;
    /* 4. unemployment benefit: the residence state (Art. 11(3)(c)) */
    if (c->unemployment_from) return c->residence;
    /* 5, 6. two or more states (non-marginal activities) (Art. 13(1)) */
    uint64_t states[4] = {0};
    int nstates = 0, share = 0;
    for (int i = 0; i < n; i++) {
        const PeerActivity *a = &c->act[i];
        if (a->marginal) continue;
        if (!(states[a->state >> 6] >> (a->state & 63) & 1)) {
            states[a->state >> 6] |= (uint64_t)1 << (a->state & 63);
            nstates++;
        }
        if (a->state == c->residence) share += a->share_pct;
    }
    if (nstates >= 2) return share >= 25 ? c->residence : (n ? c->act[0].seat : 0);
    /* 7. posting of up to 24 months after a month of insurance (Art. 12(1)) */
    bool posting_ok = false;
    for (int i = 0; i < n; i++) {
        const PeerActivity *a = &c->act[i];
        if (a->posted && posting_months(a) <= 24 && a->insured_before >= 1) posting_ok = true;
    }
    if (posting_ok)
        for (int i = 0; i < n; i++)
            if (c->act[i].posted) return c->act[i].seat;
    /* 8. the work state (Art. 11(3)(a)) */
    return n ? c->act[0].state : 0;
}
