/*
 * iso.h -- Accord runtime: the finite ISO 3166-1 alpha-2 country and
 * ISO 4217 currency vocabularies that the Accord language uses as types.
 *
 * Contract of this layer:
 *  - Provides code <-> ordinal mapping for both vocabularies, English short
 *    names of countries and ISO 4217 minor units (decimal exponents).
 *  - Ordinals are dense (1..N, alphabetical by code) and stable within a
 *    build; they are part of the compiled ABI, so any change to either list
 *    changes the vocabulary hash and invalidates compiled evaluators.
 *  - Snapshot: officially assigned codes / currencies as at end of 2024.
 *  - Lookups are O(log n) binary searches over static const sorted tables.
 *  - Pure functions: no allocation, no global mutable state, no I/O, no
 *    locale; every returned string is a static constant (never free it).
 */
#ifndef ACCORD_ISO_H
#define ACCORD_ISO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ISO 3166-1 alpha-2 countries --------------------------------------- */

/* Country ordinal: 0 is the special value `none`; 1..ACC_NCOUNTRIES are the
   officially assigned ISO 3166-1 alpha-2 codes in alphabetical order of the
   code (AD = 1, AE = 2, ..., ZW = ACC_NCOUNTRIES). User-assigned (XK),
   exceptionally reserved (EU, UK, EA, ...) and transitionally reserved or
   deleted codes (AN, YU, CS, ...) are not part of the vocabulary. */
#define ACC_NCOUNTRIES 249

/* Ordinal of the code formed by exactly the `len` bytes at `code` (`code`
   need not be NUL-terminated, and bytes after `len` are never read: lookup
   ("DEX", 2) finds DE). Matching is exact and case-sensitive (upper case
   only). Returns -1 if those bytes are not an officially assigned code, if
   len != 2, or if code is NULL. The word "none" is NOT accepted here. */
int acc_country_lookup(const char *code, size_t len);
/* "DE" for the ordinal of Germany; "none" for 0; NULL if out of range. */
const char *acc_country_code(int ordinal);
/* Short English name in ASCII ("Germany", "Cote d'Ivoire"); "none" for 0;
   NULL if out of range. */
const char *acc_country_name(int ordinal);

/* ---- ISO 4217 currencies ----------------------------------------------- */

/* Currency ordinal: 1..ACC_NCURRENCIES, alphabetical by code. Only
   currencies in circulation (plus the multinational XAF, XCD, XOF, XPF);
   no funds codes, precious metals, bond-market units, SDR, test or
   no-currency codes. There is no ordinal 0 for currencies. */
#define ACC_NCURRENCIES 156

/* As acc_country_lookup, for 3-byte upper-case codes: ordinal or -1. */
int acc_currency_lookup(const char *code, size_t len);
/* "EUR"; NULL if ordinal is out of 1..ACC_NCURRENCIES. */
const char *acc_currency_code(int ordinal);
/* ISO 4217 minor unit (decimal exponent): EUR 2, JPY 0, BHD 3;
   -1 if ordinal is out of 1..ACC_NCURRENCIES. */
int acc_currency_minor_units(int ordinal);

#ifdef __cplusplus
}
#endif

#endif /* ACCORD_ISO_H */
