# Generate N synthetic cases as JSON Lines (deterministic: fixed seed).
# usage: awk -v n=1000000 -f bench/gen_cases.awk > cases.jsonl
# The mix follows the shipped agreements: postings between the Philippines and
# Germany and inside the EU, multi-state workers, pension claims with periods.
BEGIN {
    srand(20261122);
    split("DE FR BE NL AT PL IT ES PT SE", eu, " ");
    split("PH DE", phde, " ");
    for (i = 1; i <= n; i++) {
        kind = int(rand() * 4);
        y = 2012 + int(rand() * 12); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28);
        date = sprintf("%04d-%02d-%02d", y, m, d);
        if (kind == 0) {          # PH -> DE posting
            months = 1 + int(rand() * 60);
            ey = y + int((m + months - 1) / 12); em = (m + months - 1) % 12 + 1;
            printf "{\"id\":\"g%d\",\"date\":\"%s\",\"person\":{\"nationalities\":[\"PH\"],\"residence\":\"PH\"},", i, date;
            printf "\"activities\":[{\"state\":\"DE\",\"kind\":\"employed\",\"employer_seat\":\"PH\",\"posted\":true,";
            printf "\"posting\":{\"sending_state\":\"PH\",\"start\":\"%s\",\"anticipated_end\":\"%04d-%02d-%02d\",", date, ey, em, d;
            printf "\"months_insured_before\":%d,\"employer_substantial_activity\":%s}}]}\n", int(rand() * 24), rand() < 0.9 ? "true" : "false";
        } else if (kind == 1) {   # EU posting
            a = eu[1 + int(rand() * 10)]; b = eu[1 + int(rand() * 10)];
            months = 1 + int(rand() * 36);
            ey = y + int((m + months - 1) / 12); em = (m + months - 1) % 12 + 1;
            printf "{\"id\":\"g%d\",\"date\":\"%s\",\"person\":{\"nationalities\":[\"%s\"],\"residence\":\"%s\"},", i, date, a, a;
            printf "\"activities\":[{\"state\":\"%s\",\"kind\":\"employed\",\"employer_seat\":\"%s\",\"share\":100,\"posted\":true,", b, a;
            printf "\"posting\":{\"sending_state\":\"%s\",\"start\":\"%s\",\"anticipated_end\":\"%04d-%02d-%02d\",", a, date, ey, em, d;
            printf "\"months_insured_before\":%d,\"employer_substantial_activity\":true}}]}\n", int(rand() * 12);
        } else if (kind == 2) {   # multi-state worker
            a = eu[1 + int(rand() * 10)]; b = eu[1 + int(rand() * 10)];
            s = int(rand() * 60);
            printf "{\"id\":\"g%d\",\"date\":\"%s\",\"person\":{\"nationalities\":[\"%s\"],\"residence\":\"%s\"},", i, date, a, a;
            printf "\"activities\":[{\"state\":\"%s\",\"kind\":\"employed\",\"employer_seat\":\"%s\",\"share\":%d},", a, b, s;
            printf "{\"state\":\"%s\",\"kind\":\"employed\",\"employer_seat\":\"%s\",\"share\":%d}]}\n", b, b, 100 - s;
        } else {                  # pension claim with periods in PH and DE
            f1 = 1980 + int(rand() * 20); t1 = f1 + int(rand() * 15); f2 = t1 + 1; t2 = f2 + int(rand() * 15);
            printf "{\"id\":\"g%d\",\"date\":\"%s\",\"person\":{\"nationalities\":[\"PH\"],\"residence\":\"PH\"},", i, date;
            printf "\"periods\":[{\"state\":\"PH\",\"branch\":\"old_age\",\"from\":\"%d-01-01\",\"to\":\"%d-12-31\",\"type\":\"contribution\"},", f1, t1;
            printf "{\"state\":\"DE\",\"branch\":\"old_age\",\"from\":\"%d-01-01\",\"to\":\"%d-12-31\",\"type\":\"contribution\"}],", f2, t2;
            printf "\"claim\":{\"branch\":\"old_age\",\"date\":\"%s\",\"residence\":\"PH\",\"amounts\":[{\"state\":\"DE\",\"theoretical\":\"%d.%02d EUR\",\"independent\":\"%d.00 EUR\"},", date, 500 + int(rand() * 1500), int(rand() * 100), 100 + int(rand() * 800);
            printf "{\"state\":\"PH\",\"theoretical\":\"%d.00 PHP\",\"independent\":\"%d.00 PHP\"}]}}\n", 5000 + int(rand() * 20000), 1000 + int(rand() * 8000);
        }
    }
}
