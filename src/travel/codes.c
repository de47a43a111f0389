/* codes.c — country codes as the travel module asks for them: a yes/no
 * per three-letter code and the alpha-3 of an alpha-2, from tables built
 * once (see travel_int.h).
 *
 * ctw_country_is_code and ctw_country_lookup answer from a string-keyed
 * JSON object: right for occasional use, but an import normalises a state
 * per row and the MRZ parser checks two codes per MRZ, millions of times a
 * second. So every combination of capital letters is asked once, on first
 * use: 17,576 three-letter and 676 two-letter codes, about a millisecond.
 * The answers are the country module's own, so nothing changes but speed.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "ctwatch/country.h"
#include "travel/travel_int.h"

static pthread_once_t codes_once = PTHREAD_ONCE_INIT;
static uint8_t code3_known[26 * 26 * 26];
static char code2_alpha3[26 * 26][4];

static void codes_build(void)
{
    char c[4] = {0};
    for (int a = 0; a < 26; a++)
        for (int b = 0; b < 26; b++) {
            c[0] = (char)('A' + a);
            c[1] = (char)('A' + b);
            c[2] = '\0';
            const char *a3 = ctw_country_lookup(c);
            if (a3 && strlen(a3) == 3) memcpy(code2_alpha3[a * 26 + b], a3, 4);
            for (int d = 0; d < 26; d++) {
                c[2] = (char)('A' + d);
                code3_known[(a * 26 + b) * 26 + d] = ctw_country_is_code(c);
            }
        }
}

static inline int letter(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' : -1;
}

bool ctw__travel_code3_known(const char *code)
{
    int a = letter(code[0]), b = a < 0 ? -1 : letter(code[1]), d = b < 0 ? -1 : letter(code[2]);
    if (d < 0) return false;
    pthread_once(&codes_once, codes_build);
    return code3_known[(a * 26 + b) * 26 + d];
}

const char *ctw__travel_code2_alpha3(const char *code)
{
    int a = letter(code[0]), b = a < 0 ? -1 : letter(code[1]);
    if (b < 0) return NULL;
    pthread_once(&codes_once, codes_build);
    const char *a3 = code2_alpha3[a * 26 + b];
    return a3[0] ? a3 : NULL;
}
