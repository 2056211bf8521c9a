// C shim over ncurses: its macros (getch, attron, getmaxyx, stdscr) as plain functions, one
// SCREEN per console. Symbols prefixed ccurses_.
#ifndef CCURSES_H
#define CCURSES_H

typedef struct ccurses_screen ccurses_screen;

/// Starts curses on a terminal given by file descriptors; NULL when the terminal type is unknown.
ccurses_screen *ccurses_open(const char *term, int in_fd, int out_fd);
void ccurses_close(ccurses_screen *s);
/// Leaves curses mode (restores the terminal) without freeing the screen.
void ccurses_suspend(ccurses_screen *s);
void ccurses_size(ccurses_screen *s, int *rows, int *cols);
void ccurses_clear(ccurses_screen *s);
/// Writes text at (row, col); style 0 = normal, 1 = reverse (selection), 2 = bold, 3 = dim.
void ccurses_put(ccurses_screen *s, int row, int col, const char *text, int style);
/// Shows the text cursor at (row, col), or hides it when row < 0; then sends the changes.
void ccurses_refresh(ccurses_screen *s, int cursor_row, int cursor_col);
/// Forgets what the terminal shows, so the next refresh draws everything.
void ccurses_invalidate(ccurses_screen *s);
/// Reads one key, waiting at most timeout_ms (-1 = forever). Returns -1 when none came.
int ccurses_key(ccurses_screen *s, int timeout_ms);

enum {
    CCURSES_KEY_UP = 0x10000, CCURSES_KEY_DOWN, CCURSES_KEY_LEFT, CCURSES_KEY_RIGHT,
    CCURSES_KEY_HOME, CCURSES_KEY_END, CCURSES_KEY_PPAGE, CCURSES_KEY_NPAGE,
    CCURSES_KEY_ENTER, CCURSES_KEY_BACKSPACE, CCURSES_KEY_DC, CCURSES_KEY_RESIZE, CCURSES_KEY_OTHER
};

#endif
