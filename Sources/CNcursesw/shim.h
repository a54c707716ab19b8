#ifndef SLUICE_CNCURSESW_SHIM_H
#define SLUICE_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

/* glibc hides wcwidth unless _XOPEN_SOURCE was set before its (already built) module. */
extern int wcwidth(wchar_t c);

/* Swift cannot use curses' macros and mutable globals (Swift 6 rejects the `stdscr` global):
   these static inline wrappers are the only way SluiceTerminal reaches them. */

static inline WINDOW *sluice_stdscr(void) { return stdscr; }
static inline WINDOW *sluice_curscr(void) { return curscr; }
static inline void sluice_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y = 0, x = 0;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}
/* Starts curses on the process's standard streams (Swift 6 rejects the `stdin`/`stdout` globals). */
static inline SCREEN *sluice_newterm(void) { return newterm(NULL, stdout, stdin); }
/* Columns a character takes in the current locale; -1 when it is not printable. */
static inline int sluice_wcwidth(wchar_t c) { return wcwidth(c); }
static inline int sluice_err(void) { return ERR; }
static inline int sluice_ok(void) { return OK; }
static inline int sluice_key_code_yes(void) { return KEY_CODE_YES; }
static inline int sluice_has_colors(void) { return has_colors() ? 1 : 0; }
static inline int sluice_color_pairs(void) { return COLOR_PAIRS; }
static inline int sluice_colors(void) { return COLORS; }

static inline attr_t sluice_a_normal(void) { return A_NORMAL; }
static inline attr_t sluice_a_bold(void) { return A_BOLD; }
static inline attr_t sluice_a_dim(void) { return A_DIM; }
static inline attr_t sluice_a_reverse(void) { return A_REVERSE; }
static inline attr_t sluice_a_underline(void) { return A_UNDERLINE; }

static inline short sluice_color_black(void) { return COLOR_BLACK; }
static inline short sluice_color_red(void) { return COLOR_RED; }
static inline short sluice_color_green(void) { return COLOR_GREEN; }
static inline short sluice_color_yellow(void) { return COLOR_YELLOW; }
static inline short sluice_color_blue(void) { return COLOR_BLUE; }
static inline short sluice_color_magenta(void) { return COLOR_MAGENTA; }
static inline short sluice_color_cyan(void) { return COLOR_CYAN; }
static inline short sluice_color_white(void) { return COLOR_WHITE; }

static inline int sluice_key_up(void) { return KEY_UP; }
static inline int sluice_key_down(void) { return KEY_DOWN; }
static inline int sluice_key_left(void) { return KEY_LEFT; }
static inline int sluice_key_right(void) { return KEY_RIGHT; }
static inline int sluice_key_home(void) { return KEY_HOME; }
static inline int sluice_key_end(void) { return KEY_END; }
static inline int sluice_key_npage(void) { return KEY_NPAGE; }
static inline int sluice_key_ppage(void) { return KEY_PPAGE; }
static inline int sluice_key_backspace(void) { return KEY_BACKSPACE; }
static inline int sluice_key_dc(void) { return KEY_DC; }
static inline int sluice_key_enter(void) { return KEY_ENTER; }
static inline int sluice_key_btab(void) { return KEY_BTAB; }
static inline int sluice_key_resize(void) { return KEY_RESIZE; }
static inline int sluice_key_f(int n) { return KEY_F(n); }

/* Reads one key without waiting; returns ERR when none, OK for a character, KEY_CODE_YES for a key code. */
static inline int sluice_get_wch(wint_t *ch) { return wget_wch(stdscr, ch); }

/* Writes `count` wide characters at (y, x) with the given attributes and colour pair. */
static inline int sluice_put(int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    wattr_set(stdscr, attrs, pair, NULL);
    return mvwaddnwstr(stdscr, y, x, text, count);
}

/* The terminal's size from the kernel (after SIGWINCH curses does not know it yet). */
static inline int sluice_tty_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

/* A terminfo string capability, NULL when the terminal lacks it. */
static inline const char *sluice_tigetstr(const char *name) {
    char *value = tigetstr((char *)name);
    if (value == NULL || value == (char *)-1) return NULL;
    return value;
}

/* Whether the current locale's character set is UTF-8. */
static inline int sluice_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
