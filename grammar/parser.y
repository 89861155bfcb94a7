/* parser.y - the Accord grammar (SPEC §3).
 * Pure, located, %expect 0 (style G7).  Actions only build trees: one ast_*
 * constructor call each; no name is looked up and no value is checked here.
 * Terminals are CAPITALS with a quoted alias used in messages; nonterminals
 * are snake_case and match SPEC.md §3 name for name.  Error productions sit
 * at item boundaries (top-level item, article item, example item, header
 * field) so one bad construct does not hide the rest of the file. */
%define api.pure full
%define api.prefix {acc_yy}
%define api.location.type {Span}
%define parse.error verbose
%locations
%expect 0
%param {Compilation *cx}

%code requires {
#include "compilation.h"
#include "ast.h"
}

%code provides {
#define YY_DECL int acc_yylex_scan(ACC_YYSTYPE *yylval_param, Span *yylloc_param, void *yyscanner)
int acc_yylex_scan(ACC_YYSTYPE *yylval_param, Span *yylloc_param, void *yyscanner);
AstFile *parse_file(Compilation *cx, uint32_t file);
/* --dump-tokens: every token of a file, one per line: line:col NAME 'text' */
void dump_tokens(Compilation *cx, uint32_t file, FILE *out);
const char *acc_token_name(int token);
}

%code {
#include "diag.h"
#include <stdlib.h>
#include <string.h>

#define YYMALLOC xmalloc
#define YYFREE free

/* A span runs from the first to the last symbol of the production; an empty
 * production gets an empty span at the end of what precedes it. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                      \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                    \
            (Cur).end = YYRHSLOC(Rhs, N).end;                        \
        } else {                                                     \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                      \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;          \
        }                                                            \
    } while (0)

static int acc_yylex(ACC_YYSTYPE *lval, Span *lloc, Compilation *cx) {
    /* the end of input has no text: locate it at the current offset of this
     * file (flex runs no user action at EOF) */
    lloc->file = cx->cur_file;
    lloc->start = lloc->end = cx->lex_offset;
    if (cx->parse_fatal) return 0;
    int tok = acc_yylex_scan(lval, lloc, cx->scanner);
    if (tok) cx->ntokens++;
    return tok;
}

/* "unexpected identifier" says less than "unexpected identifier 'foo'", and
 * "unexpected days" is wrong when the drafter wrote "day": quote the text. */
static void describe_unexpected(Compilation *cx, Span loc, const char *msg, char *out, size_t n) {
    const SourceFile *f = src_file(cx, loc.file);
    const char *rest = msg + 11; /* after "unexpected " */
    const char *comma = strstr(rest, ", expecting");
    size_t toklen = comma ? (size_t)(comma - rest) : strlen(rest);
    uint32_t len = loc.end - loc.start;
    const char *text = f && loc.end <= f->len ? f->text + loc.start : "";
    bool word = len > 0 && len <= 40;
    for (uint32_t i = 0; word && i < len; i++) {
        char c = text[i];
        word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
    if (!word || rest[0] == '\'' || (toklen == len && strncmp(rest, text, len) == 0)) {
        snprintf(out, n, "%s", msg);
        return;
    }
    static const char *kinds[] = {"identifier", "integer", "decimal number", "date", "country code", "currency code"};
    bool is_kind = false;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i]) == toklen && strncmp(rest, kinds[i], toklen) == 0) is_kind = true;
    if (is_kind)
        snprintf(out, n, "unexpected %.*s '%.*s'%s", (int)toklen, rest, (int)len, text, comma ? comma : "");
    else
        snprintf(out, n, "unexpected '%.*s'%s", (int)len, text, comma ? comma : "");
}

static void acc_yyerror(Span *loc, Compilation *cx, const char *msg) {
    if (cx->parse_fatal) return;
    /* bison says "syntax error, unexpected X, expecting Y or Z" */
    if (strncmp(msg, "syntax error, ", 14) == 0) msg += 14;
    if (strcmp(msg, "memory exhausted") == 0) {
        /* bison's stack limit (YYMAXDEPTH): only reached by very long chains
         * of prefix operators such as `not not not ...` (SPEC §2.6) */
        diag_error(cx, *loc, "expression nested too deeply for the parser");
        diag_hint(cx, "split it with 'define'");
        return;
    }
    if (cx->ntokens == 0) {
        /* SPEC §2.1: nothing but blanks and comments; point at the start */
        Span start = {cx->cur_file, 0, 0};
        diag_error(cx, start, "empty file: expected 'agreement', 'vocabulary' or 'protocol'");
        return;
    }
    char buf[512];
    if (strncmp(msg, "unexpected ", 11) == 0) {
        describe_unexpected(cx, *loc, msg, buf, sizeof buf);
        msg = buf;
    }
    diag_error(cx, *loc, "%s", msg);
}

static PtrVec one(Compilation *cx, void *p) {
    PtrVec v = {0};
    ptrvec_push(&cx->arena, &v, p);
    return v;
}
static PtrVec *push(Compilation *cx, PtrVec *v, void *p) {
    ptrvec_push(&cx->arena, v, p);
    return v;
}
static PtrVec none_vec(void) {
    PtrVec v = {0};
    return v;
}
}

%union {
    const char *str;
    AstExpr *expr;
    AstItem *item;
    AstType *type;
    AstParam *param;
    AstRuleMod *mod;
    AstCiteRef *cite;
    AstHeaderField *hfield;
    AstHeader *header;
    AstFile *file;
    PtrVec vec;
    int num;
}

%token END 0 "end of file"
%token <str> IDENT "identifier" INT_LIT "integer" DECIMAL_LIT "decimal number"
%token <str> DATE_LIT "date" STRING_LIT "string" COUNTRY_LIT "country code" CURRENCY_LIT "currency code"
%token EQ "==" NE "!=" LE "<=" GE ">=" NOTIN "not in"
%token ACKNOWLEDGE "acknowledge" AGREEMENT "agreement" AMEND "amend" AMENDS "amends" AND "and" ARTICLE "article" BY "by" CALENDAR "calendar"
%token CONFLICT "conflict" COUNT "count" DAYS "days" DEFINE "define" ELSE "else" ENUM "enum"
%token EXAMPLE "example" EXCEPTION "exception" EXISTS "exists" EXPECT "expect" FALSE "false"
%token FAVOURABLE "favourable" FIRST "first" FOR "for" FORALL "forall" FORCE "force" FROM "from"
%token GIVEN "given" IF "if" IN "in" INSTRUMENT "instrument" IS "is" LIST "list"
%token MATERIAL "material" MAX "max" MIN "min" MINUS "minus" MONTHS "months" MORE "more" NONE "none" NOT "not"
%token OF "of" OR "or" PARAGRAPH "paragraph" PARAMETER "parameter" PARTIES "parties"
%token PERSONAL "personal" PHASE "phase" POINT "point" PRIORITY "priority" PROSE "prose"
%token PROTOCOL "protocol" QUARTERS "quarters" QUESTION "question" RECORD "record" RULE "rule"
%token SCOPE "scope" SET "set" SIGNED "signed" STANDARD "standard" SUM "sum" SUPERSEDES "supersedes"
%token TERMINATES "terminates" THEN "then" TITLE "title" TO "to" TRUE "true"
%token UNDETERMINED "undetermined" UNLESS "unless" UNTIL "until" VOCABULARY "vocabulary"
%token WEEKS "weeks" WHEN "when" WHERE "where" YEARS "years" YIELDS "yields"

%precedence ELSE
%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE IN NOTIN
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%type <file> file
%type <header> header_fields
%type <hfield> header_field
%type <vec> ack_by items art_items example_items protocol_items party_list ident_list expr_list expr_list_opt
%type <vec> param_list params_opt field_decls rule_mods cite_labels cite_list by_opt
%type <item> item art_item example_item protocol_item enum_decl record_decl question_decl define_decl
%type <item> parameter_decl article paragraph rule personal_scope material_scope phase instrument
%type <item> protocol example art_phase given expect path
%type <expr> ack_where expr primary date when_opt where_opt record_fields party
%type <type> type
%type <param> param field_decl
%type <mod> rule_mod
%type <cite> cite
%type <str> artnum label title_opt fname ack_kind ack_for
%type <num> unit

%start file

%%

/* ---- SPEC §3.1 files ------------------------------------------------- */

file
    : AGREEMENT IDENT '{' header_fields '}' items
        { $$ = ast_file(cx, @$, FILE_AGREEMENT, $2); $$->name_span = @2; $$->header = $4; $$->items = $6; cx->parse_result = $$; }
    | VOCABULARY IDENT ';' items
        { $$ = ast_file(cx, @$, FILE_VOCABULARY, $2); $$->name_span = @2; $$->items = $4; cx->parse_result = $$; }
    | PROTOCOL IDENT AMENDS IDENT '{' header_fields protocol_items '}'
        { $$ = ast_file(cx, @$, FILE_PROTOCOL, $2); $$->name_span = @2; $$->target = $4; $$->header = $6;
          $$->items = $7; cx->parse_result = $$; }
    ;

/* ---- SPEC §3.2 header ------------------------------------------------ */

header_fields
    : %empty                      { $$ = ast_header(cx, @$); }
    | header_fields header_field  { $$ = $1; if ($2) push(cx, &$$->fields, $2); $$->span = @$; }
    ;

header_field
    : TITLE STRING_LIT ';'          { $$ = ast_header_field(cx, @$, HD_TITLE); $$->text = $2; }
    | PARTIES party_list ';'        { $$ = ast_header_field(cx, @$, HD_PARTIES); $$->countries = $2; }
    | SIGNED date ';'               { $$ = ast_header_field(cx, @$, HD_SIGNED); $$->date = $2; }
    | IN FORCE date ';'             { $$ = ast_header_field(cx, @$, HD_IN_FORCE); $$->date = $3; }
    | TERMINATES date ';'           { $$ = ast_header_field(cx, @$, HD_TERMINATES); $$->date = $2; }
    | SUPERSEDES IDENT ';'          { $$ = ast_header_field(cx, @$, HD_SUPERSEDES); $$->text = $2; }
    | STANDARD ';'                  { $$ = ast_header_field(cx, @$, HD_STANDARD); }
    /* SPEC §13.5: a checker finding acknowledged as a real ambiguity of the text */
    | ACKNOWLEDGE ack_kind IDENT ack_for ack_by ack_where STRING_LIT ';'
        { $$ = ast_header_field(cx, @$, HD_ACKNOWLEDGE); $$->ack_kind = $2; $$->ack_question = $3;
          $$->ack_other = $4; $$->ack_rules = $5; $$->ack_where = $6; $$->text = $7; }
    | YIELDS TO IDENT ';'
        { $$ = ast_header_field(cx, @$, HD_YIELDS); $$->yield = arena_alloc(&cx->arena, sizeof *$$->yield);
          $$->yield->span = @3; $$->yield->target = $3; }
    | YIELDS TO IDENT UNLESS MORE FAVOURABLE ';'
        { $$ = ast_header_field(cx, @$, HD_YIELDS); $$->yield = arena_alloc(&cx->arena, sizeof *$$->yield);
          $$->yield->span = @3; $$->yield->target = $3; $$->yield->unless_more_favourable = true; }
    | error ';'                     { $$ = NULL; yyerrok; }
    ;

ack_kind
    : IDENT
    | CONFLICT                      { $$ = "conflict"; }
    ;

/* SPEC §13.5: the other agreement, the rules involved, the region acknowledged */
ack_for
    : %empty                        { $$ = NULL; }
    | FOR IDENT                     { $$ = $2; }
    ;

ack_by
    : %empty                        { $$ = none_vec(); }
    | BY ident_list                 { $$ = $2; }
    ;

ack_where
    : %empty                        { $$ = NULL; }
    | WHERE expr                    { $$ = $2; }
    ;

party_list
    : party                         { $$ = one(cx, $1); }
    | party_list ',' party          { $$ = *push(cx, &$1, $3); }
    ;

/* a party, optionally from/until a date (accession, withdrawal: SPEC §6.1) */
party
    : COUNTRY_LIT                   { $$ = ast_name(cx, @$, $1); $$->kind = EX_COUNTRY; }
    | COUNTRY_LIT FROM date         { $$ = ast_name(cx, @1, $1); $$->kind = EX_COUNTRY; $$->lhs = $3; }
    | COUNTRY_LIT UNTIL date        { $$ = ast_name(cx, @1, $1); $$->kind = EX_COUNTRY; $$->rhs = $3; }
    | COUNTRY_LIT FROM date UNTIL date
        { $$ = ast_name(cx, @1, $1); $$->kind = EX_COUNTRY; $$->lhs = $3; $$->rhs = $5; }
    ;

date
    : DATE_LIT                      { $$ = ast_text(cx, EX_DATE, @1, $1); }
    ;

/* ---- SPEC §3.3 items ------------------------------------------------- */

items
    : %empty                        { $$ = none_vec(); }
    | items item                    { $$ = $1; if ($2) push(cx, &$$, $2); }
    ;

item
    : enum_decl | record_decl | question_decl | define_decl | parameter_decl
    | article | instrument | protocol | example | phase
    | error '}'                     { $$ = NULL; yyerrok; }
    | error ';'                     { $$ = NULL; yyerrok; }
    ;

enum_decl
    : ENUM IDENT '{' ident_list '}'
        { $$ = ast_item(cx, IT_ENUM, @$); $$->name = $2; $$->name_span = @2; $$->args = $4; }
    ;

ident_list
    : IDENT                         { $$ = one(cx, ast_name(cx, @1, $1)); }
    | ident_list ',' IDENT          { $$ = *push(cx, &$1, ast_name(cx, @3, $3)); }
    ;

record_decl
    : RECORD IDENT '{' field_decls '}'
        { $$ = ast_item(cx, IT_RECORD, @$); $$->name = $2; $$->name_span = @2; $$->params = $4; }
    | RECORD IDENT '{' field_decls error '}'    { $$ = NULL; yyerrok; }
    ;

field_decls
    : %empty                        { $$ = none_vec(); }
    | field_decls field_decl        { $$ = *push(cx, &$1, $2); }
    ;

field_decl
    : fname ':' type ';'            { $$ = ast_param(cx, @1, $1, $3); }
    /* SPEC §7.1: an optional phrase for drafters, used in the checker's findings (§13.2) */
    | fname ':' type STRING_LIT ';' { $$ = ast_param(cx, @1, $1, $3); $$->words = $4; }
    ;

fname
    : IDENT | FROM { $$ = "from"; } | TO { $$ = "to"; } | UNTIL { $$ = "until"; } | TITLE { $$ = "title"; }
    ;

question_decl
    : QUESTION IDENT params_opt ':' type ';'
        { $$ = ast_item(cx, IT_QUESTION, @$); $$->name = $2; $$->name_span = @2; $$->params = $3; $$->type = $5; }
    ;

params_opt
    : %empty                        { $$ = none_vec(); }
    | '(' param_list ')'            { $$ = $2; }
    ;

param_list
    : param                         { $$ = one(cx, $1); }
    | param_list ',' param          { $$ = *push(cx, &$1, $3); }
    ;

param
    : IDENT ':' type                { $$ = ast_param(cx, @$, $1, $3); }
    ;

type
    : IDENT                         { $$ = ast_type(cx, @$, TS_NAME, $1, NULL); }
    | DAYS                          { $$ = ast_type(cx, @$, TS_DAYS, NULL, NULL); }
    | MONTHS                        { $$ = ast_type(cx, @$, TS_MONTHS, NULL, NULL); }
    | SET OF type                   { $$ = ast_type(cx, @$, TS_SET, NULL, $3); }
    | LIST OF type                  { $$ = ast_type(cx, @$, TS_LIST, NULL, $3); }
    ;

define_decl
    : DEFINE IDENT params_opt ':' type '=' expr ';'
        { $$ = ast_item(cx, IT_DEFINE, @$); $$->name = $2; $$->name_span = @2; $$->params = $3; $$->type = $5; $$->expr = $7; }
    ;

parameter_decl
    : PARAMETER IDENT '=' expr ';'
        { $$ = ast_item(cx, IT_PARAMETER, @$); $$->name = $2; $$->name_span = @2; $$->expr = $4; }
    | PARAMETER IDENT ':' type '=' expr ';'
        { $$ = ast_item(cx, IT_PARAMETER, @$); $$->name = $2; $$->name_span = @2; $$->type = $4; $$->expr = $6; }
    ;

/* ---- SPEC §3.4 articles ---------------------------------------------- */

article
    : ARTICLE artnum title_opt '{' art_items '}'
        { $$ = ast_item(cx, IT_ARTICLE, @$); $$->label = $2; $$->label_span = @2; $$->title = $3; $$->items = $5; }
    /* recovery: an error before the closing brace (say a missing ';' after
     * the last rule) ends the article there, not at the next '}' */
    | ARTICLE artnum title_opt '{' art_items error '}'
        { $$ = NULL; yyerrok; }
    | ARTICLE error '}'             { $$ = NULL; yyerrok; }
    ;

artnum
    : INT_LIT | STRING_LIT
    ;

title_opt
    : %empty                        { $$ = NULL; }
    | STRING_LIT
    ;

art_items
    : %empty                        { $$ = none_vec(); }
    | art_items art_item            { $$ = $1; if ($2) push(cx, &$$, $2); }
    ;

art_item
    : PROSE STRING_LIT ';'          { $$ = ast_item(cx, IT_PROSE, @$); $$->text = $2; }
    | paragraph | rule | parameter_decl | define_decl | personal_scope | material_scope | art_phase
    | error ';'                     { $$ = NULL; yyerrok; }
    ;

paragraph
    : PARAGRAPH label '{' art_items '}'
        { $$ = ast_item(cx, IT_PARAGRAPH, @$); $$->label = $2; $$->label_span = @2; $$->items = $4; }
    | POINT label '{' art_items '}'
        { $$ = ast_item(cx, IT_PARAGRAPH, @$); $$->label = $2; $$->label_span = @2; $$->items = $4; }
    | PARAGRAPH label '{' art_items error '}'   { $$ = NULL; yyerrok; }
    | POINT label '{' art_items error '}'       { $$ = NULL; yyerrok; }
    ;

label
    : INT_LIT | IDENT | STRING_LIT
    ;

art_phase
    : PHASE STRING_LIT FROM date '{' art_items '}'
        { $$ = ast_item(cx, IT_PHASE, @$); $$->title = $2; $$->date = $4; $$->items = $6; }
    ;

phase
    : PHASE STRING_LIT FROM date '{' items '}'
        { $$ = ast_item(cx, IT_PHASE, @$); $$->title = $2; $$->date = $4; $$->items = $6; }
    ;

instrument
    : INSTRUMENT STRING_LIT '{' items '}'
        { $$ = ast_item(cx, IT_INSTRUMENT, @$); $$->title = $2; $$->items = $4; }
    ;

/* ---- SPEC §3.5 rules -------------------------------------------------- */

rule
    : RULE IDENT '=' expr when_opt rule_mods ';'
        { $$ = ast_item(cx, IT_RULE, @$); $$->label_span = @2; $$->title = $2; $$->expr = $4; $$->cond = $5; $$->mods = $6; }
    | RULE IDENT '(' expr_list ')' '=' expr when_opt rule_mods ';'
        { $$ = ast_item(cx, IT_RULE, @$); $$->label_span = @2; $$->title = $2; $$->args = $4; $$->expr = $7; $$->cond = $8; $$->mods = $9; }
    | RULE IDENT ':' IDENT '=' expr when_opt rule_mods ';'
        { $$ = ast_item(cx, IT_RULE, @$); $$->name = $2; $$->name_span = @2; $$->label_span = @4; $$->title = $4;
          $$->expr = $6; $$->cond = $7; $$->mods = $8; }
    | RULE IDENT ':' IDENT '(' expr_list ')' '=' expr when_opt rule_mods ';'
        { $$ = ast_item(cx, IT_RULE, @$); $$->name = $2; $$->name_span = @2; $$->label_span = @4; $$->title = $4;
          $$->args = $6; $$->expr = $9; $$->cond = $10; $$->mods = $11; }
    ;

when_opt
    : %empty                        { $$ = NULL; }
    | WHEN expr                     { $$ = $2; }
    ;

rule_mods
    : %empty                        { $$ = none_vec(); }
    | rule_mods rule_mod            { $$ = *push(cx, &$1, $2); }
    ;

rule_mod
    : EXCEPTION TO cite             { $$ = ast_rule_mod(cx, @$, RM_EXCEPTION_ARTICLE); $$->cite = $3; }
    | EXCEPTION TO IDENT            { $$ = ast_rule_mod(cx, @$, RM_EXCEPTION_LABEL); $$->label = $3; }
    | PRIORITY INT_LIT              { $$ = ast_rule_mod(cx, @$, RM_PRIORITY); $$->priority = ast_int(cx, @2, $2)->ival; }
    | FROM date                     { $$ = ast_rule_mod(cx, @$, RM_FROM); $$->date = $2; }
    | UNTIL date                    { $$ = ast_rule_mod(cx, @$, RM_UNTIL); $$->date = $2; }
    ;

cite
    : ARTICLE artnum cite_labels
        { $$ = ast_cite(cx, @$, $2); $$->labels = $3; }
    | ARTICLE artnum cite_labels OF STRING_LIT
        { $$ = ast_cite(cx, @$, $2); $$->labels = $3; $$->instrument = $5; }
    ;

cite_labels
    : %empty                        { $$ = none_vec(); }
    | cite_labels '(' label ')'     { $$ = *push(cx, &$1, (void *)$3); }
    ;

personal_scope
    : PERSONAL SCOPE ':' expr rule_mods ';'
        { $$ = ast_item(cx, IT_PERSONAL_SCOPE, @$); $$->expr = $4; $$->mods = $5; }
    ;

material_scope
    : MATERIAL SCOPE ':' ident_list rule_mods ';'
        { $$ = ast_item(cx, IT_MATERIAL_SCOPE, @$); $$->args = $4; $$->mods = $5; }
    | MATERIAL SCOPE FOR COUNTRY_LIT ':' ident_list rule_mods ';'
        { $$ = ast_item(cx, IT_MATERIAL_SCOPE, @$); $$->country = ast_name(cx, @4, $4); $$->country->kind = EX_COUNTRY;
          $$->args = $6; $$->mods = $7; }
    ;

/* ---- SPEC §3.6 protocols ---------------------------------------------- */

protocol
    : PROTOCOL IDENT '{' header_fields protocol_items '}'
        { $$ = ast_item(cx, IT_PROTOCOL, @$); $$->name = $2; $$->name_span = @2; $$->header = $4; $$->items = $5; }
    ;

protocol_items
    : %empty                        { $$ = none_vec(); }
    | protocol_items protocol_item  { $$ = $1; if ($2) push(cx, &$$, $2); }
    ;

protocol_item
    : AMEND PARAMETER IDENT '=' expr ';'
        { $$ = ast_item(cx, IT_AMEND_PARAMETER, @$); $$->name = $3; $$->name_span = @3; $$->expr = $5; }
    | AMEND ARTICLE artnum title_opt '{' art_items '}'
        { $$ = ast_item(cx, IT_AMEND_ARTICLE, @$); $$->label = $3; $$->label_span = @3; $$->title = $4; $$->items = $6; }
    | article
    | example
    ;

/* ---- SPEC §3.7 examples ----------------------------------------------- */

example
    : EXAMPLE STRING_LIT '{' example_items '}'
        { $$ = ast_item(cx, IT_EXAMPLE, @$); $$->title = $2; $$->items = $4; }
    | EXAMPLE STRING_LIT '{' example_items error '}'   { $$ = NULL; yyerrok; }
    | EXAMPLE STRING_LIT error '}'                     { $$ = NULL; yyerrok; }
    ;

example_items
    : %empty                        { $$ = none_vec(); }
    | example_items example_item    { $$ = $1; if ($2) push(cx, &$$, $2); }
    ;

example_item
    : given | expect
    | error ';'                     { $$ = NULL; yyerrok; }
    ;

given
    : GIVEN path '=' expr ';'       { $$ = $2; $$->span = @$; $$->expr = $4; }
    ;

path
    : fname                         { $$ = ast_item(cx, IT_GIVEN, @$); ast_push_name(cx, &$$->names, &$$->name_spans, $1, @1); }
    | path '.' fname                { $$ = $1; ast_push_name(cx, &$$->names, &$$->name_spans, $3, @3); }
    ;

expect
    : EXPECT IDENT '=' expr by_opt ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->expr = $4; $$->cites = $5; }
    | EXPECT IDENT '(' expr_list ')' '=' expr by_opt ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->args = $4; $$->expr = $7; $$->cites = $8; }
    | EXPECT IDENT IS CONFLICT by_opt ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->expect_kind = EXP_CONFLICT; $$->cites = $5; }
    | EXPECT IDENT '(' expr_list ')' IS CONFLICT by_opt ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->args = $4; $$->expect_kind = EXP_CONFLICT; $$->cites = $8; }
    | EXPECT IDENT IS UNDETERMINED ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->expect_kind = EXP_UNDETERMINED; }
    | EXPECT IDENT '(' expr_list ')' IS UNDETERMINED ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->args = $4; $$->expect_kind = EXP_UNDETERMINED; }
    | EXPECT IDENT IS NOT IDENT ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->expect_kind = EXP_NOT_COVERED;
          $$->text = $5; $$->label_span = @5; }
    | EXPECT IDENT '(' expr_list ')' IS NOT IDENT ';'
        { $$ = ast_item(cx, IT_EXPECT, @$); $$->name = $2; $$->name_span = @2; $$->args = $4; $$->expect_kind = EXP_NOT_COVERED;
          $$->text = $8; $$->label_span = @8; }
    ;

by_opt
    : %empty                        { $$ = none_vec(); }
    | BY cite_list                  { $$ = $2; }
    ;

cite_list
    : cite                          { $$ = one(cx, $1); }
    | cite_list ',' cite            { $$ = *push(cx, &$1, $3); }
    ;

/* ---- SPEC §4 expressions ---------------------------------------------- */

expr
    : primary
    | expr OR expr                  { $$ = ast_binary(cx, @$, OP_OR, $1, $3); }
    | expr AND expr                 { $$ = ast_binary(cx, @$, OP_AND, $1, $3); }
    | NOT expr                      { $$ = ast_unary(cx, @$, OP_NOT, $2); }
    | expr EQ expr                  { $$ = ast_binary(cx, @$, OP_EQ, $1, $3); }
    | expr NE expr                  { $$ = ast_binary(cx, @$, OP_NE, $1, $3); }
    | expr '<' expr                 { $$ = ast_binary(cx, @$, OP_LT, $1, $3); }
    | expr LE expr                  { $$ = ast_binary(cx, @$, OP_LE, $1, $3); }
    | expr '>' expr                 { $$ = ast_binary(cx, @$, OP_GT, $1, $3); }
    | expr GE expr                  { $$ = ast_binary(cx, @$, OP_GE, $1, $3); }
    | expr IN expr                  { $$ = ast_binary(cx, @$, OP_IN, $1, $3); }
    | expr NOTIN expr               { $$ = ast_binary(cx, @$, OP_NOTIN, $1, $3); }
    | expr '+' expr                 { $$ = ast_binary(cx, @$, OP_ADD, $1, $3); }
    | expr '-' expr                 { $$ = ast_binary(cx, @$, OP_SUB, $1, $3); }
    | expr '*' expr                 { $$ = ast_binary(cx, @$, OP_MUL, $1, $3); }
    | expr '/' expr                 { $$ = ast_binary(cx, @$, OP_DIV, $1, $3); }
    | '-' expr %prec UMINUS         { $$ = ast_unary(cx, @$, OP_NEG, $2); }
    | IF expr THEN expr ELSE expr   { $$ = ast_if(cx, @$, $2, $4, $6); }
    ;

primary
    : INT_LIT                       { $$ = ast_int(cx, @$, $1); }
    | DECIMAL_LIT                   { $$ = ast_text(cx, EX_DECIMAL, @$, $1); }
    | INT_LIT '%'                   { $$ = ast_suffixed(cx, EX_PERCENT, @$, $1, NULL); }
    | DECIMAL_LIT '%'               { $$ = ast_suffixed(cx, EX_PERCENT, @$, $1, NULL); }
    | INT_LIT CURRENCY_LIT          { $$ = ast_suffixed(cx, EX_MONEY, @$, $1, $2); }
    | DECIMAL_LIT CURRENCY_LIT      { $$ = ast_suffixed(cx, EX_MONEY, @$, $1, $2); }
    | INT_LIT unit                  { $$ = ast_duration(cx, @$, $1, (AstUnit)$2); }
    | DATE_LIT                      { $$ = ast_text(cx, EX_DATE, @$, $1); }
    | TRUE                          { $$ = ast_expr(cx, EX_BOOL, @$); $$->ival = 1; }
    | FALSE                         { $$ = ast_expr(cx, EX_BOOL, @$); }
    | STRING_LIT                    { $$ = ast_text(cx, EX_STRING, @$, $1); }
    | COUNTRY_LIT                   { $$ = ast_name(cx, @$, $1); $$->kind = EX_COUNTRY; }
    | CURRENCY_LIT                  { $$ = ast_name(cx, @$, $1); }
    | NONE                          { $$ = ast_expr(cx, EX_NONE, @$); }
    | IDENT                         { $$ = ast_name(cx, @$, $1); }
    | PARTIES                       { $$ = ast_name(cx, @$, "parties"); }
    | primary '.' fname             { $$ = ast_field(cx, @$, $1, $3, @3); }
    | IDENT '(' expr_list_opt ')'   { $$ = ast_call(cx, @$, $1, @1, $3); }
    | MIN '(' expr_list_opt ')'     { $$ = ast_call(cx, @$, "min", @1, $3); }
    | MAX '(' expr_list_opt ')'     { $$ = ast_call(cx, @$, "max", @1, $3); }
    | '(' expr ')'                  { $$ = $2; }
    | '{' expr_list_opt '}'         { $$ = ast_list(cx, EX_SET, @$, $2); }
    | '{' record_fields '}'         { $$ = ast_record(cx, @$, $2); }
    | '[' expr_list_opt ']'         { $$ = ast_list(cx, EX_LIST, @$, $2); }
    | EXISTS '(' IDENT IN expr where_opt ')'
        { $$ = ast_compr(cx, @$, AGG_EXISTS, $3, @3, $5, $6, NULL, NULL); }
    | FORALL '(' IDENT IN expr where_opt ')'
        { $$ = ast_compr(cx, @$, AGG_FORALL, $3, @3, $5, $6, NULL, NULL); }
    | COUNT '(' IDENT IN expr where_opt ')'
        { $$ = ast_compr(cx, @$, AGG_COUNT, $3, @3, $5, $6, NULL, NULL); }
    | SUM '(' IDENT IN expr where_opt ':' expr ')'
        { $$ = ast_compr(cx, @$, AGG_SUM, $3, @3, $5, $6, $8, NULL); }
    | SET '(' IDENT IN expr where_opt ':' expr ')'
        { $$ = ast_compr(cx, @$, AGG_SET, $3, @3, $5, $6, $8, NULL); }
    | FIRST '(' IDENT IN expr where_opt ':' expr ELSE expr ')'
        { $$ = ast_compr(cx, @$, AGG_FIRST, $3, @3, $5, $6, $8, $10); }
    | DAYS '(' IDENT IN expr where_opt ')'
        { $$ = ast_compr(cx, @$, AGG_DAYS, $3, @3, $5, $6, NULL, NULL); }
    | DAYS '(' IDENT IN expr where_opt MINUS expr ')'
        { $$ = ast_compr(cx, @$, AGG_DAYS, $3, @3, $5, $6, NULL, $8); }
    | MONTHS '(' IDENT IN expr where_opt ')'
        { $$ = ast_compr(cx, @$, AGG_MONTHS, $3, @3, $5, $6, NULL, NULL); }
    | MONTHS '(' IDENT IN expr where_opt MINUS expr ')'
        { $$ = ast_compr(cx, @$, AGG_MONTHS, $3, @3, $5, $6, NULL, $8); }
    | CALENDAR MONTHS '(' IDENT IN expr where_opt ')'
        { $$ = ast_compr(cx, @$, AGG_CALENDAR_MONTHS, $4, @4, $6, $7, NULL, NULL); }
    | CALENDAR MONTHS '(' IDENT IN expr where_opt MINUS expr ')'
        { $$ = ast_compr(cx, @$, AGG_CALENDAR_MONTHS, $4, @4, $6, $7, NULL, $9); }
    ;

unit
    : DAYS { $$ = UNIT_DAYS; } | WEEKS { $$ = UNIT_WEEKS; } | MONTHS { $$ = UNIT_MONTHS; }
    | QUARTERS { $$ = UNIT_QUARTERS; } | YEARS { $$ = UNIT_YEARS; }
    ;

where_opt
    : %empty                        { $$ = NULL; }
    | WHERE expr                    { $$ = $2; }
    ;

record_fields
    : fname '=' expr
        { $$ = ast_expr(cx, EX_RECORD, @$); ast_push_name(cx, &$$->names, &$$->name_spans, $1, @1); push(cx, &$$->args, $3); }
    | record_fields ',' fname '=' expr
        { $$ = $1; ast_push_name(cx, &$$->names, &$$->name_spans, $3, @3); push(cx, &$$->args, $5); }
    ;

expr_list_opt
    : %empty                        { $$ = none_vec(); }
    | expr_list
    ;

expr_list
    : expr                          { $$ = one(cx, $1); }
    | expr_list ',' expr            { $$ = *push(cx, &$1, $3); }
    ;

%%

/* The user-facing name of a token ("identifier", "article", "'{'"), from
 * bison's own table so it always matches the messages. */
const char *acc_token_name(int token) {
    return yytname[YYTRANSLATE(token)];
}
