/* rational.c - exact rational arithmetic shared by the reference
 * interpreter (compiler/value.c wraps it) and compiled evaluators; see
 * accord_cg.h.  A rational is num/den with den > 0, reduced; every result
 * that does not fit int64 after reduction is reported, never wrapped. */
#include "accord_cg.h"

/* Reduce num/den (den > 0) when both fit in 64 bits: hardware division,
 * not the 128-bit library routine (the common case: percentages, shares). */
static bool from64(int64_t num, int64_t den, acc_rat *out) {
    uint64_t a = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num, b = (uint64_t)den;
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    if (a > 1) {
        num /= (int64_t)a;
        den /= (int64_t)a;
    }
    if (num == INT64_MIN) return false;
    out->num = num;
    out->den = den;
    return true;
}

/* Reduce a 128-bit fraction into int64; false if it does not fit. */
static bool from128(__int128 num, __int128 den, acc_rat *out) {
    if (den > 0 && den <= INT64_MAX && num > INT64_MIN && num <= INT64_MAX) return from64((int64_t)num, (int64_t)den, out);
    if (den == 0) return false;
    if (den < 0) { num = -num; den = -den; }
    __int128 a = num < 0 ? -num : num, b = den;
    while (b) {
        __int128 t = a % b;
        a = b;
        b = t;
    }
    if (a > 1) { num /= a; den /= a; }
    if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX) return false;
    out->num = (int64_t)num;
    out->den = (int64_t)den;
    return true;
}

bool acc_rat_make(int64_t num, int64_t den, acc_rat *out) { return from128(num, den, out); }
bool acc_rat_add(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out) {
    if (ad == bd && ad == 1) { /* whole numbers (amounts in minor units): no reduction needed */
        int64_t s;
        if (__builtin_add_overflow(an, bn, &s) || s == INT64_MIN) return false;
        out->num = s;
        out->den = 1;
        return true;
    }
    return from128((__int128)an * bd + (__int128)bn * ad, (__int128)ad * bd, out);
}
bool acc_rat_sub(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out) {
    if (ad == bd && ad == 1) {
        int64_t s;
        if (__builtin_sub_overflow(an, bn, &s) || s == INT64_MIN) return false;
        out->num = s;
        out->den = 1;
        return true;
    }
    return from128((__int128)an * bd - (__int128)bn * ad, (__int128)ad * bd, out);
}
bool acc_rat_mul(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out) {
    return from128((__int128)an * bn, (__int128)ad * bd, out);
}
bool acc_rat_div(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out) {
    if (bn == 0) return false;
    return from128((__int128)an * bd, (__int128)ad * bn, out);
}
int acc_rat_cmp(int64_t an, int64_t ad, int64_t bn, int64_t bd) {
    __int128 l = (__int128)an * bd, r = (__int128)bn * ad;
    return l < r ? -1 : l > r;
}

int64_t acc_rat_round(int64_t num, int64_t den, int32_t mode) {
    int64_t q = num / den, r = num % den; /* truncated toward zero */
    if (r == 0) return q;
    bool neg = num < 0;
    switch (mode) {
    case ACC_ROUND_TRUNCATE: return q;
    case ACC_ROUND_DOWN: return neg ? q - 1 : q;
    case ACC_ROUND_UP: return neg ? q : q + 1;
    case ACC_ROUND_HALF_UP:
    case ACC_ROUND_HALF_EVEN: {
        /* compare 2|r| with den without overflow */
        __int128 twice = (__int128)(r < 0 ? -r : r) * 2;
        int c = twice < den ? -1 : twice > den;
        bool away = c > 0 || (c == 0 && (mode == ACC_ROUND_HALF_UP || (q & 1)));
        return away ? (neg ? q - 1 : q + 1) : q;
    }
    default: return q;
    }
}
