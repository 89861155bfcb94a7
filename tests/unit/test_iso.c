/*
 * Unit tests for runtime/iso.c: ISO 3166-1 alpha-2 and ISO 4217 vocabularies.
 *
 * Besides spot checks, every possible 2-letter and 3-letter upper-case code
 * is looked up and the binary search is compared with a naive linear scan,
 * and the full membership of both tables is compared with an independent
 * space-separated copy of the expected code lists kept in this file.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "iso.h"

static int C(const char *s) { return acc_country_lookup(s, strlen(s)); }
static int K(const char *s) { return acc_currency_lookup(s, strlen(s)); }

/* Expected vocabularies (end of 2024), written independently of iso.c. */
static const char expected_countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI "
    "BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN "
    "CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW ";
static const char expected_currencies[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND "
    "BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF "
    "DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD "
    "HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW "
    "KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR "
    "MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN "
    "PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN "
    "SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED "
    "VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG ";

static int count_words(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && (p == s || p[-1] == ' '))
            n++;
    return n;
}

/* ==== countries ============================================================ */

Test(countries, count_and_bounds)
{
    cr_assert_eq(ACC_NCOUNTRIES, 249);
    cr_assert_str_eq(acc_country_code(0), "none");
    cr_assert_str_eq(acc_country_name(0), "none");
    cr_assert_null(acc_country_code(-1));
    cr_assert_null(acc_country_name(-1));
    cr_assert_null(acc_country_code(ACC_NCOUNTRIES + 1));
    cr_assert_null(acc_country_name(ACC_NCOUNTRIES + 1));
    cr_assert_not_null(acc_country_code(ACC_NCOUNTRIES));
    cr_assert_str_eq(acc_country_code(1), "AD");
    cr_assert_str_eq(acc_country_code(2), "AE");
    cr_assert_str_eq(acc_country_code(ACC_NCOUNTRIES), "ZW");
}

Test(countries, sorted_unique_well_formed)
{
    for (int i = 1; i <= ACC_NCOUNTRIES; i++) {
        const char *c = acc_country_code(i);
        const char *n = acc_country_name(i);
        cr_assert_not_null(c);
        cr_assert_not_null(n);
        cr_assert_eq(strlen(c), 2, "ordinal %d", i);
        cr_assert(c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z', "%s", c);
        cr_assert_gt(strlen(n), 0);
        for (const char *p = n; *p; p++)
            cr_assert(*p >= 0x20 && *p < 0x7f, "non-ASCII name for %s", c);
        if (i > 1)
            cr_assert_lt(strcmp(acc_country_code(i - 1), c), 0, "%s !< %s",
                         acc_country_code(i - 1), c);
    }
}

Test(countries, round_trip)
{
    for (int i = 1; i <= ACC_NCOUNTRIES; i++)
        cr_assert_eq(C(acc_country_code(i)), i, "ordinal %d", i);
}

Test(countries, exact_membership)
{
    cr_assert_eq(count_words(expected_countries), ACC_NCOUNTRIES);
    int ord = 0;
    for (const char *p = expected_countries; *p; p++) {
        if (*p == ' ')
            continue;
        ord++;
        cr_assert_eq(acc_country_lookup(p, 2), ord, "%.2s", p);
        p += 2 - 1;
    }
}

Test(countries, exhaustive_against_linear_scan)
{
    char buf[2];
    int found = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            buf[0] = a;
            buf[1] = b; /* not NUL-terminated: only len bytes may be read */
            int want = -1;
            for (int i = 1; i <= ACC_NCOUNTRIES; i++)
                if (memcmp(acc_country_code(i), buf, 2) == 0)
                    want = i;
            cr_assert_eq(acc_country_lookup(buf, 2), want, "%c%c", a, b);
            found += want > 0;
        }
    cr_assert_eq(found, ACC_NCOUNTRIES);
}

Test(countries, known_samples)
{
    const char *present[] = {"DE", "PH", "US", "BN", "TL", "SS", "CW", "BQ", "SX",
                             "GB", "FR", "AT", "CH", "AX", "PS", "TW", "VA", "ZW"};
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++)
        cr_assert_gt(C(present[i]), 0, "%s missing", present[i]);
    /* Deleted / transitionally reserved codes. */
    const char *absent[] = {"AN", "YU", "CS", "TP", "ZR", "BU", "NT", "FX", "SU", "DD"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        cr_assert_eq(C(absent[i]), -1, "%s accepted", absent[i]);
    cr_assert_str_eq(acc_country_name(C("DE")), "Germany");
    cr_assert_str_eq(acc_country_name(C("CI")), "Cote d'Ivoire");
    cr_assert_str_eq(acc_country_name(C("TR")), "Turkiye");
    cr_assert_str_eq(acc_country_name(C("CW")), "Curacao");
    cr_assert_str_eq(acc_country_name(C("PH")), "Philippines");
    cr_assert_str_eq(acc_country_code(C("PH")), "PH");
}

Test(countries, rejects_non_codes)
{
    /* Exceptionally reserved, user-assigned and malformed inputs. */
    const char *bad[] = {"EU", "UK", "EA", "EZ", "UN", "IC", "CQ", "XK", "XX", "ZZ", "AA",
                         "QO", "de", "De", "dE", "D", "DEU", "", "none", "NONE",
                         "D ", " D", "1A"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(C(bad[i]), -1, "\"%s\" accepted", bad[i]);
    cr_assert_eq(acc_country_lookup(NULL, 2), -1);
    cr_assert_eq(acc_country_lookup(NULL, 0), -1);
}

Test(countries, len_bytes_are_compared)
{
    /* Exactly len bytes are compared; what follows them is irrelevant. */
    cr_assert_eq(acc_country_lookup("DEX", 2), C("DE"));
    cr_assert_eq(acc_country_lookup("DE", 1), -1);
    cr_assert_eq(acc_country_lookup("DE", 3), -1); /* "DE\0" */
    cr_assert_eq(acc_country_lookup("DE", 0), -1);
    cr_assert_eq(acc_country_lookup("DEU", 3), -1);
    cr_assert_eq(acc_country_lookup("USA", 2), C("US"));
}

/* ==== currencies =========================================================== */

Test(currencies, count_and_bounds)
{
    cr_assert_eq(ACC_NCURRENCIES, 156);
    cr_assert_null(acc_currency_code(0));
    cr_assert_null(acc_currency_code(-1));
    cr_assert_null(acc_currency_code(ACC_NCURRENCIES + 1));
    cr_assert_eq(acc_currency_minor_units(0), -1);
    cr_assert_eq(acc_currency_minor_units(ACC_NCURRENCIES + 1), -1);
    cr_assert_str_eq(acc_currency_code(1), "AED");
    cr_assert_str_eq(acc_currency_code(ACC_NCURRENCIES), "ZWG");
}

Test(currencies, sorted_unique_well_formed)
{
    for (int i = 1; i <= ACC_NCURRENCIES; i++) {
        const char *c = acc_currency_code(i);
        cr_assert_not_null(c);
        cr_assert_eq(strlen(c), 3, "ordinal %d", i);
        for (int j = 0; j < 3; j++)
            cr_assert(c[j] >= 'A' && c[j] <= 'Z', "%s", c);
        int m = acc_currency_minor_units(i);
        cr_assert(m == 0 || m == 2 || m == 3, "%s has minor units %d", c, m);
        if (i > 1)
            cr_assert_lt(strcmp(acc_currency_code(i - 1), c), 0, "%s !< %s",
                         acc_currency_code(i - 1), c);
    }
}

Test(currencies, round_trip)
{
    for (int i = 1; i <= ACC_NCURRENCIES; i++)
        cr_assert_eq(K(acc_currency_code(i)), i, "ordinal %d", i);
}

Test(currencies, exact_membership)
{
    cr_assert_eq(count_words(expected_currencies), ACC_NCURRENCIES);
    int ord = 0;
    for (const char *p = expected_currencies; *p; p++) {
        if (*p == ' ')
            continue;
        ord++;
        cr_assert_eq(acc_currency_lookup(p, 3), ord, "%.3s", p);
        p += 3 - 1;
    }
}

Test(currencies, exhaustive_against_linear_scan)
{
    char buf[3];
    int found = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++)
            for (char c = 'A'; c <= 'Z'; c++) {
                buf[0] = a;
                buf[1] = b;
                buf[2] = c;
                int want = -1;
                for (int i = 1; i <= ACC_NCURRENCIES; i++)
                    if (memcmp(acc_currency_code(i), buf, 3) == 0)
                        want = i;
                cr_assert_eq(acc_currency_lookup(buf, 3), want, "%c%c%c", a, b, c);
                found += want > 0;
            }
    cr_assert_eq(found, ACC_NCURRENCIES);
}

Test(currencies, known_minor_units)
{
    struct { const char *code; int minor; } cases[] = {
        {"EUR", 2}, {"JPY", 0}, {"KRW", 0}, {"BHD", 3}, {"PHP", 2}, {"INR", 2},
        {"USD", 2}, {"KWD", 3}, {"OMR", 3}, {"JOD", 3}, {"TND", 3}, {"LYD", 3},
        {"IQD", 3}, {"CLP", 0}, {"ISK", 0}, {"UYU", 2}, {"XAF", 0}, {"XOF", 0},
        {"XPF", 0}, {"XCD", 2}, {"VND", 0}, {"PYG", 0}, {"UGX", 0}, {"CHF", 2},
        {"GBP", 2}, {"MGA", 2}, {"MRU", 2}, {"SLE", 2}, {"ZWG", 2}, {"BGN", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int o = K(cases[i].code);
        cr_assert_gt(o, 0, "%s missing", cases[i].code);
        cr_assert_eq(acc_currency_minor_units(o), cases[i].minor, "%s", cases[i].code);
        cr_assert_str_eq(acc_currency_code(o), cases[i].code);
    }
}

Test(currencies, rejects_non_currencies)
{
    const char *bad[] = {
        "XXX", "EUX", "XTS",                      /* no currency, test, bogus */
        "XAU", "XAG", "XPD", "XPT",               /* precious metals */
        "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", /* units of account */
        "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "BOV", /* funds */
        "HRK", "SLL", "CUC", "ZWL", "DEM", "FRF", "VEF", "MRO", "STD", "BYR",
        "eur", "Eur", "EU", "E", "", "EURO",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(K(bad[i]), -1, "\"%s\" accepted", bad[i]);
    cr_assert_eq(acc_currency_lookup(NULL, 3), -1);
    cr_assert_eq(acc_currency_lookup("EURX", 3), K("EUR"));
    cr_assert_eq(acc_currency_lookup("EUR", 2), -1);
    cr_assert_eq(acc_currency_lookup("EUR", 4), -1);
}
