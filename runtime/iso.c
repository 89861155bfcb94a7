/*
 * iso.c -- ISO 3166-1 alpha-2 and ISO 4217 vocabularies (see iso.h).
 *
 * Both tables are plain static const arrays sorted by code; lookups are
 * binary searches comparing exactly the caller's `len` bytes. The table
 * position (index + 1) is the ordinal, so entries must never be reordered
 * except by inserting/removing codes, which changes the vocabulary hash.
 *
 * Country list: the 249 officially assigned ISO 3166-1 alpha-2 codes as at
 * 2024 (unchanged in membership since SS, BQ, CW, SX were assigned in
 * 2010/2011; names follow later renamings such as SZ Eswatini, MK North
 * Macedonia, TR Turkiye, CZ Czechia, CV Cabo Verde). Deliberately absent:
 *  - XK (Kosovo): not an ISO assignment. The X* range is "user-assigned";
 *    XK is a convention of the European Commission and others, so ISO
 *    3166-1 gives it no official status and it is excluded here.
 *  - Exceptionally reserved codes: AC, CP, CQ, DG, EA, EU, EZ, FX, IC, SU,
 *    TA, UK, UN.
 *  - Transitionally reserved codes (AN, BU, CS, NT, TP, YU, ZR) and any
 *    other code deleted from the standard (e.g. DD).
 * Names are the ISO English short names in ASCII (diacritics dropped);
 * where ISO writes an inverted or formal form ("Korea, Republic of", "Viet
 * Nam", "Holy See (Vatican City State)") the common short form is used
 * ("South Korea", "Vietnam", "Holy See"); parenthesised qualifiers that
 * disambiguate ("Saint Martin (French part)") are kept.
 *
 * Currency list: ISO 4217 List One entries that are currencies in
 * circulation at the end of 2024, plus the multinational XAF, XCD, XOF, XPF.
 * Excluded: funds codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW),
 * precious metals (XAG, XAU, XPD, XPT), bond-market units (XBA-XBD), XDR,
 * XSU, XUA, the test code XTS and XXX; currencies no longer legal tender in
 * 2024: HRK (replaced by EUR 2023-01-01), SLL (redenominated as SLE; legal
 * tender until 2023-12-31), CUC (withdrawn 2021; ISO moved it to List Three
 * only in 2025), ZWL (replaced by ZWG, ISO amendment 177, 2024-06-25, expired
 * 2024-08-31); and XCG, assigned in advance but only in circulation from
 * 2025-03-31 (ANG is kept: it circulated throughout 2024). Minor units are
 * those published in ISO 4217 List One.
 */
#include "iso.h"

#include <stddef.h>
#include <string.h>

struct acc_country_entry {
    char code[3];
    const char *name;
};

struct acc_currency_entry {
    char code[4];
    unsigned char minor_units;
};

static const struct acc_country_entry acc_countries[] = {
    {"AD", "Andorra"},
    {"AE", "United Arab Emirates"},
    {"AF", "Afghanistan"},
    {"AG", "Antigua and Barbuda"},
    {"AI", "Anguilla"},
    {"AL", "Albania"},
    {"AM", "Armenia"},
    {"AO", "Angola"},
    {"AQ", "Antarctica"},
    {"AR", "Argentina"},
    {"AS", "American Samoa"},
    {"AT", "Austria"},
    {"AU", "Australia"},
    {"AW", "Aruba"},
    {"AX", "Aland Islands"},
    {"AZ", "Azerbaijan"},
    {"BA", "Bosnia and Herzegovina"},
    {"BB", "Barbados"},
    {"BD", "Bangladesh"},
    {"BE", "Belgium"},
    {"BF", "Burkina Faso"},
    {"BG", "Bulgaria"},
    {"BH", "Bahrain"},
    {"BI", "Burundi"},
    {"BJ", "Benin"},
    {"BL", "Saint Barthelemy"},
    {"BM", "Bermuda"},
    {"BN", "Brunei Darussalam"},
    {"BO", "Bolivia"},
    {"BQ", "Bonaire, Sint Eustatius and Saba"},
    {"BR", "Brazil"},
    {"BS", "Bahamas"},
    {"BT", "Bhutan"},
    {"BV", "Bouvet Island"},
    {"BW", "Botswana"},
    {"BY", "Belarus"},
    {"BZ", "Belize"},
    {"CA", "Canada"},
    {"CC", "Cocos (Keeling) Islands"},
    {"CD", "Democratic Republic of the Congo"},
    {"CF", "Central African Republic"},
    {"CG", "Congo"},
    {"CH", "Switzerland"},
    {"CI", "Cote d'Ivoire"},
    {"CK", "Cook Islands"},
    {"CL", "Chile"},
    {"CM", "Cameroon"},
    {"CN", "China"},
    {"CO", "Colombia"},
    {"CR", "Costa Rica"},
    {"CU", "Cuba"},
    {"CV", "Cabo Verde"},
    {"CW", "Curacao"},
    {"CX", "Christmas Island"},
    {"CY", "Cyprus"},
    {"CZ", "Czechia"},
    {"DE", "Germany"},
    {"DJ", "Djibouti"},
    {"DK", "Denmark"},
    {"DM", "Dominica"},
    {"DO", "Dominican Republic"},
    {"DZ", "Algeria"},
    {"EC", "Ecuador"},
    {"EE", "Estonia"},
    {"EG", "Egypt"},
    {"EH", "Western Sahara"},
    {"ER", "Eritrea"},
    {"ES", "Spain"},
    {"ET", "Ethiopia"},
    {"FI", "Finland"},
    {"FJ", "Fiji"},
    {"FK", "Falkland Islands"},
    {"FM", "Micronesia"},
    {"FO", "Faroe Islands"},
    {"FR", "France"},
    {"GA", "Gabon"},
    {"GB", "United Kingdom"},
    {"GD", "Grenada"},
    {"GE", "Georgia"},
    {"GF", "French Guiana"},
    {"GG", "Guernsey"},
    {"GH", "Ghana"},
    {"GI", "Gibraltar"},
    {"GL", "Greenland"},
    {"GM", "Gambia"},
    {"GN", "Guinea"},
    {"GP", "Guadeloupe"},
    {"GQ", "Equatorial Guinea"},
    {"GR", "Greece"},
    {"GS", "South Georgia and the South Sandwich Islands"},
    {"GT", "Guatemala"},
    {"GU", "Guam"},
    {"GW", "Guinea-Bissau"},
    {"GY", "Guyana"},
    {"HK", "Hong Kong"},
    {"HM", "Heard Island and McDonald Islands"},
    {"HN", "Honduras"},
    {"HR", "Croatia"},
    {"HT", "Haiti"},
    {"HU", "Hungary"},
    {"ID", "Indonesia"},
    {"IE", "Ireland"},
    {"IL", "Israel"},
    {"IM", "Isle of Man"},
    {"IN", "India"},
    {"IO", "British Indian Ocean Territory"},
    {"IQ", "Iraq"},
    {"IR", "Iran"},
    {"IS", "Iceland"},
    {"IT", "Italy"},
    {"JE", "Jersey"},
    {"JM", "Jamaica"},
    {"JO", "Jordan"},
    {"JP", "Japan"},
    {"KE", "Kenya"},
    {"KG", "Kyrgyzstan"},
    {"KH", "Cambodia"},
    {"KI", "Kiribati"},
    {"KM", "Comoros"},
    {"KN", "Saint Kitts and Nevis"},
    {"KP", "North Korea"},
    {"KR", "South Korea"},
    {"KW", "Kuwait"},
    {"KY", "Cayman Islands"},
    {"KZ", "Kazakhstan"},
    {"LA", "Laos"},
    {"LB", "Lebanon"},
    {"LC", "Saint Lucia"},
    {"LI", "Liechtenstein"},
    {"LK", "Sri Lanka"},
    {"LR", "Liberia"},
    {"LS", "Lesotho"},
    {"LT", "Lithuania"},
    {"LU", "Luxembourg"},
    {"LV", "Latvia"},
    {"LY", "Libya"},
    {"MA", "Morocco"},
    {"MC", "Monaco"},
    {"MD", "Moldova"},
    {"ME", "Montenegro"},
    {"MF", "Saint Martin (French part)"},
    {"MG", "Madagascar"},
    {"MH", "Marshall Islands"},
    {"MK", "North Macedonia"},
    {"ML", "Mali"},
    {"MM", "Myanmar"},
    {"MN", "Mongolia"},
    {"MO", "Macao"},
    {"MP", "Northern Mariana Islands"},
    {"MQ", "Martinique"},
    {"MR", "Mauritania"},
    {"MS", "Montserrat"},
    {"MT", "Malta"},
    {"MU", "Mauritius"},
    {"MV", "Maldives"},
    {"MW", "Malawi"},
    {"MX", "Mexico"},
    {"MY", "Malaysia"},
    {"MZ", "Mozambique"},
    {"NA", "Namibia"},
    {"NC", "New Caledonia"},
    {"NE", "Niger"},
    {"NF", "Norfolk Island"},
    {"NG", "Nigeria"},
    {"NI", "Nicaragua"},
    {"NL", "Netherlands"},
    {"NO", "Norway"},
    {"NP", "Nepal"},
    {"NR", "Nauru"},
    {"NU", "Niue"},
    {"NZ", "New Zealand"},
    {"OM", "Oman"},
    {"PA", "Panama"},
    {"PE", "Peru"},
    {"PF", "French Polynesia"},
    {"PG", "Papua New Guinea"},
    {"PH", "Philippines"},
    {"PK", "Pakistan"},
    {"PL", "Poland"},
    {"PM", "Saint Pierre and Miquelon"},
    {"PN", "Pitcairn"},
    {"PR", "Puerto Rico"},
    {"PS", "Palestine"},
    {"PT", "Portugal"},
    {"PW", "Palau"},
    {"PY", "Paraguay"},
    {"QA", "Qatar"},
    {"RE", "Reunion"},
    {"RO", "Romania"},
    {"RS", "Serbia"},
    {"RU", "Russian Federation"},
    {"RW", "Rwanda"},
    {"SA", "Saudi Arabia"},
    {"SB", "Solomon Islands"},
    {"SC", "Seychelles"},
    {"SD", "Sudan"},
    {"SE", "Sweden"},
    {"SG", "Singapore"},
    {"SH", "Saint Helena, Ascension and Tristan da Cunha"},
    {"SI", "Slovenia"},
    {"SJ", "Svalbard and Jan Mayen"},
    {"SK", "Slovakia"},
    {"SL", "Sierra Leone"},
    {"SM", "San Marino"},
    {"SN", "Senegal"},
    {"SO", "Somalia"},
    {"SR", "Suriname"},
    {"SS", "South Sudan"},
    {"ST", "Sao Tome and Principe"},
    {"SV", "El Salvador"},
    {"SX", "Sint Maarten (Dutch part)"},
    {"SY", "Syria"},
    {"SZ", "Eswatini"},
    {"TC", "Turks and Caicos Islands"},
    {"TD", "Chad"},
    {"TF", "French Southern Territories"},
    {"TG", "Togo"},
    {"TH", "Thailand"},
    {"TJ", "Tajikistan"},
    {"TK", "Tokelau"},
    {"TL", "Timor-Leste"},
    {"TM", "Turkmenistan"},
    {"TN", "Tunisia"},
    {"TO", "Tonga"},
    {"TR", "Turkiye"},
    {"TT", "Trinidad and Tobago"},
    {"TV", "Tuvalu"},
    {"TW", "Taiwan"},
    {"TZ", "Tanzania"},
    {"UA", "Ukraine"},
    {"UG", "Uganda"},
    {"UM", "United States Minor Outlying Islands"},
    {"US", "United States"},
    {"UY", "Uruguay"},
    {"UZ", "Uzbekistan"},
    {"VA", "Holy See"},
    {"VC", "Saint Vincent and the Grenadines"},
    {"VE", "Venezuela"},
    {"VG", "British Virgin Islands"},
    {"VI", "U.S. Virgin Islands"},
    {"VN", "Vietnam"},
    {"VU", "Vanuatu"},
    {"WF", "Wallis and Futuna"},
    {"WS", "Samoa"},
    {"YE", "Yemen"},
    {"YT", "Mayotte"},
    {"ZA", "South Africa"},
    {"ZM", "Zambia"},
    {"ZW", "Zimbabwe"},
};

static const struct acc_currency_entry acc_currencies[] = {
    {"AED", 2}, /* UAE Dirham */
    {"AFN", 2}, /* Afghani */
    {"ALL", 2}, /* Lek */
    {"AMD", 2}, /* Armenian Dram */
    {"ANG", 2}, /* Netherlands Antillean Guilder */
    {"AOA", 2}, /* Kwanza */
    {"ARS", 2}, /* Argentine Peso */
    {"AUD", 2}, /* Australian Dollar */
    {"AWG", 2}, /* Aruban Florin */
    {"AZN", 2}, /* Azerbaijan Manat */
    {"BAM", 2}, /* Convertible Mark */
    {"BBD", 2}, /* Barbados Dollar */
    {"BDT", 2}, /* Taka */
    {"BGN", 2}, /* Bulgarian Lev */
    {"BHD", 3}, /* Bahraini Dinar */
    {"BIF", 0}, /* Burundi Franc */
    {"BMD", 2}, /* Bermudian Dollar */
    {"BND", 2}, /* Brunei Dollar */
    {"BOB", 2}, /* Boliviano */
    {"BRL", 2}, /* Brazilian Real */
    {"BSD", 2}, /* Bahamian Dollar */
    {"BTN", 2}, /* Ngultrum */
    {"BWP", 2}, /* Pula */
    {"BYN", 2}, /* Belarusian Ruble */
    {"BZD", 2}, /* Belize Dollar */
    {"CAD", 2}, /* Canadian Dollar */
    {"CDF", 2}, /* Congolese Franc */
    {"CHF", 2}, /* Swiss Franc */
    {"CLP", 0}, /* Chilean Peso */
    {"CNY", 2}, /* Yuan Renminbi */
    {"COP", 2}, /* Colombian Peso */
    {"CRC", 2}, /* Costa Rican Colon */
    {"CUP", 2}, /* Cuban Peso */
    {"CVE", 2}, /* Cabo Verde Escudo */
    {"CZK", 2}, /* Czech Koruna */
    {"DJF", 0}, /* Djibouti Franc */
    {"DKK", 2}, /* Danish Krone */
    {"DOP", 2}, /* Dominican Peso */
    {"DZD", 2}, /* Algerian Dinar */
    {"EGP", 2}, /* Egyptian Pound */
    {"ERN", 2}, /* Nakfa */
    {"ETB", 2}, /* Ethiopian Birr */
    {"EUR", 2}, /* Euro */
    {"FJD", 2}, /* Fiji Dollar */
    {"FKP", 2}, /* Falkland Islands Pound */
    {"GBP", 2}, /* Pound Sterling */
    {"GEL", 2}, /* Lari */
    {"GHS", 2}, /* Ghana Cedi */
    {"GIP", 2}, /* Gibraltar Pound */
    {"GMD", 2}, /* Dalasi */
    {"GNF", 0}, /* Guinean Franc */
    {"GTQ", 2}, /* Quetzal */
    {"GYD", 2}, /* Guyana Dollar */
    {"HKD", 2}, /* Hong Kong Dollar */
    {"HNL", 2}, /* Lempira */
    {"HTG", 2}, /* Gourde */
    {"HUF", 2}, /* Forint */
    {"IDR", 2}, /* Rupiah */
    {"ILS", 2}, /* New Israeli Sheqel */
    {"INR", 2}, /* Indian Rupee */
    {"IQD", 3}, /* Iraqi Dinar */
    {"IRR", 2}, /* Iranian Rial */
    {"ISK", 0}, /* Iceland Krona */
    {"JMD", 2}, /* Jamaican Dollar */
    {"JOD", 3}, /* Jordanian Dinar */
    {"JPY", 0}, /* Yen */
    {"KES", 2}, /* Kenyan Shilling */
    {"KGS", 2}, /* Som */
    {"KHR", 2}, /* Riel */
    {"KMF", 0}, /* Comorian Franc */
    {"KPW", 2}, /* North Korean Won */
    {"KRW", 0}, /* Won */
    {"KWD", 3}, /* Kuwaiti Dinar */
    {"KYD", 2}, /* Cayman Islands Dollar */
    {"KZT", 2}, /* Tenge */
    {"LAK", 2}, /* Lao Kip */
    {"LBP", 2}, /* Lebanese Pound */
    {"LKR", 2}, /* Sri Lanka Rupee */
    {"LRD", 2}, /* Liberian Dollar */
    {"LSL", 2}, /* Loti */
    {"LYD", 3}, /* Libyan Dinar */
    {"MAD", 2}, /* Moroccan Dirham */
    {"MDL", 2}, /* Moldovan Leu */
    {"MGA", 2}, /* Malagasy Ariary */
    {"MKD", 2}, /* Denar */
    {"MMK", 2}, /* Kyat */
    {"MNT", 2}, /* Tugrik */
    {"MOP", 2}, /* Pataca */
    {"MRU", 2}, /* Ouguiya */
    {"MUR", 2}, /* Mauritius Rupee */
    {"MVR", 2}, /* Rufiyaa */
    {"MWK", 2}, /* Malawi Kwacha */
    {"MXN", 2}, /* Mexican Peso */
    {"MYR", 2}, /* Malaysian Ringgit */
    {"MZN", 2}, /* Mozambique Metical */
    {"NAD", 2}, /* Namibia Dollar */
    {"NGN", 2}, /* Naira */
    {"NIO", 2}, /* Cordoba Oro */
    {"NOK", 2}, /* Norwegian Krone */
    {"NPR", 2}, /* Nepalese Rupee */
    {"NZD", 2}, /* New Zealand Dollar */
    {"OMR", 3}, /* Rial Omani */
    {"PAB", 2}, /* Balboa */
    {"PEN", 2}, /* Sol */
    {"PGK", 2}, /* Kina */
    {"PHP", 2}, /* Philippine Peso */
    {"PKR", 2}, /* Pakistan Rupee */
    {"PLN", 2}, /* Zloty */
    {"PYG", 0}, /* Guarani */
    {"QAR", 2}, /* Qatari Rial */
    {"RON", 2}, /* Romanian Leu */
    {"RSD", 2}, /* Serbian Dinar */
    {"RUB", 2}, /* Russian Ruble */
    {"RWF", 0}, /* Rwanda Franc */
    {"SAR", 2}, /* Saudi Riyal */
    {"SBD", 2}, /* Solomon Islands Dollar */
    {"SCR", 2}, /* Seychelles Rupee */
    {"SDG", 2}, /* Sudanese Pound */
    {"SEK", 2}, /* Swedish Krona */
    {"SGD", 2}, /* Singapore Dollar */
    {"SHP", 2}, /* Saint Helena Pound */
    {"SLE", 2}, /* Leone */
    {"SOS", 2}, /* Somali Shilling */
    {"SRD", 2}, /* Surinam Dollar */
    {"SSP", 2}, /* South Sudanese Pound */
    {"STN", 2}, /* Dobra */
    {"SVC", 2}, /* El Salvador Colon */
    {"SYP", 2}, /* Syrian Pound */
    {"SZL", 2}, /* Lilangeni */
    {"THB", 2}, /* Baht */
    {"TJS", 2}, /* Somoni */
    {"TMT", 2}, /* Turkmenistan New Manat */
    {"TND", 3}, /* Tunisian Dinar */
    {"TOP", 2}, /* Paanga */
    {"TRY", 2}, /* Turkish Lira */
    {"TTD", 2}, /* Trinidad and Tobago Dollar */
    {"TWD", 2}, /* New Taiwan Dollar */
    {"TZS", 2}, /* Tanzanian Shilling */
    {"UAH", 2}, /* Hryvnia */
    {"UGX", 0}, /* Uganda Shilling */
    {"USD", 2}, /* US Dollar */
    {"UYU", 2}, /* Peso Uruguayo */
    {"UZS", 2}, /* Uzbekistan Sum */
    {"VED", 2}, /* Bolivar Soberano */
    {"VES", 2}, /* Bolivar Soberano */
    {"VND", 0}, /* Dong */
    {"VUV", 0}, /* Vatu */
    {"WST", 2}, /* Tala */
    {"XAF", 0}, /* CFA Franc BEAC */
    {"XCD", 2}, /* East Caribbean Dollar */
    {"XOF", 0}, /* CFA Franc BCEAO */
    {"XPF", 0}, /* CFP Franc */
    {"YER", 2}, /* Yemeni Rial */
    {"ZAR", 2}, /* Rand */
    {"ZMW", 2}, /* Zambian Kwacha */
    {"ZWG", 2}, /* Zimbabwe Gold */
};

_Static_assert(sizeof acc_countries / sizeof acc_countries[0] == ACC_NCOUNTRIES,
               "ACC_NCOUNTRIES does not match the country table");
_Static_assert(sizeof acc_currencies / sizeof acc_currencies[0] == ACC_NCURRENCIES,
               "ACC_NCURRENCIES does not match the currency table");
_Static_assert(offsetof(struct acc_country_entry, code) == 0, "code must lead");
_Static_assert(offsetof(struct acc_currency_entry, code) == 0, "code must lead");

/* Binary search over the `n` elements of a table whose object representation
   starts at `base` (elements `stride` bytes apart, each holding a sorted code
   of `width` significant bytes at offset 0); returns the 0-based index or -1.
   Only `width` bytes of `key` are read. */
static int acc_iso_bsearch(const char *key, const char *base, size_t stride,
                           size_t n, size_t width)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(key, base + mid * stride, width);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

int acc_country_lookup(const char *code, size_t len)
{
    if (code == NULL || len != 2)
        return -1;
    int i = acc_iso_bsearch(code, (const char *)acc_countries, sizeof acc_countries[0],
                            ACC_NCOUNTRIES, 2);
    return i < 0 ? -1 : i + 1;
}

const char *acc_country_code(int ordinal)
{
    if (ordinal == 0)
        return "none";
    if (ordinal < 0 || ordinal > ACC_NCOUNTRIES)
        return NULL;
    return acc_countries[ordinal - 1].code;
}

const char *acc_country_name(int ordinal)
{
    if (ordinal == 0)
        return "none";
    if (ordinal < 0 || ordinal > ACC_NCOUNTRIES)
        return NULL;
    return acc_countries[ordinal - 1].name;
}

int acc_currency_lookup(const char *code, size_t len)
{
    if (code == NULL || len != 3)
        return -1;
    int i = acc_iso_bsearch(code, (const char *)acc_currencies, sizeof acc_currencies[0],
                            ACC_NCURRENCIES, 3);
    return i < 0 ? -1 : i + 1;
}

const char *acc_currency_code(int ordinal)
{
    if (ordinal < 1 || ordinal > ACC_NCURRENCIES)
        return NULL;
    return acc_currencies[ordinal - 1].code;
}

int acc_currency_minor_units(int ordinal)
{
    if (ordinal < 1 || ordinal > ACC_NCURRENCIES)
        return -1;
    return acc_currencies[ordinal - 1].minor_units;
}
