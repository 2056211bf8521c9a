// C shim over ncurses: one SCREEN per console, macros turned into functions, keys into our codes.
#include "ccurses.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

struct ccurses_screen {
    SCREEN *screen;
    FILE *in;
    FILE *out;
};

ccurses_screen *ccurses_open(const char *term, int in_fd, int out_fd) {
    FILE *in = fdopen(in_fd, "r");
    FILE *out = fdopen(out_fd, "w");
    if (in == NULL || out == NULL) {
        if (in) fclose(in);
        if (out) fclose(out);
        return NULL;
    }
    // newterm, not initscr: initscr exits the process when the terminal type is unknown.
    SCREEN *screen = newterm(term, out, in);
    if (screen == NULL) {
        fclose(in);
        fclose(out);
        return NULL;
    }
    ccurses_screen *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        delscreen(screen);
        return NULL;
    }
    s->screen = screen;
    s->in = in;
    s->out = out;
    set_term(screen);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    typeahead(-1); // draw even while keys are waiting: the serial line may deliver keys early
    curs_set(0);
    set_escdelay(100);
    return s;
}

void ccurses_suspend(ccurses_screen *s) {
    set_term(s->screen);
    endwin();
}

void ccurses_close(ccurses_screen *s) {
    set_term(s->screen);
    endwin();
    delscreen(s->screen);
    fclose(s->in);
    fclose(s->out);
    free(s);
}

void ccurses_size(ccurses_screen *s, int *rows, int *cols) {
    set_term(s->screen);
    getmaxyx(stdscr, *rows, *cols);
}

void ccurses_clear(ccurses_screen *s) {
    set_term(s->screen);
    erase();
}

void ccurses_put(ccurses_screen *s, int row, int col, const char *text, int style) {
    set_term(s->screen);
    attr_t attr = style == 1 ? A_REVERSE : style == 2 ? A_BOLD : style == 3 ? A_DIM : A_NORMAL;
    attron(attr);
    mvaddstr(row, col, text);
    attroff(attr);
}

void ccurses_refresh(ccurses_screen *s, int cursor_row, int cursor_col) {
    set_term(s->screen);
    if (cursor_row >= 0) {
        move(cursor_row, cursor_col);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
}

void ccurses_invalidate(ccurses_screen *s) {
    set_term(s->screen);
    clearok(curscr, TRUE);
}

int ccurses_key(ccurses_screen *s, int timeout_ms) {
    set_term(s->screen);
    timeout(timeout_ms);
    int c = getch();
    switch (c) {
    case ERR: return -1;
    case KEY_UP: return CCURSES_KEY_UP;
    case KEY_DOWN: return CCURSES_KEY_DOWN;
    case KEY_LEFT: return CCURSES_KEY_LEFT;
    case KEY_RIGHT: return CCURSES_KEY_RIGHT;
    case KEY_HOME: return CCURSES_KEY_HOME;
    case KEY_END: return CCURSES_KEY_END;
    case KEY_PPAGE: return CCURSES_KEY_PPAGE;
    case KEY_NPAGE: return CCURSES_KEY_NPAGE;
    case KEY_ENTER: return CCURSES_KEY_ENTER;
    case KEY_BACKSPACE: return CCURSES_KEY_BACKSPACE;
    case KEY_DC: return CCURSES_KEY_DC;
    case KEY_RESIZE: return CCURSES_KEY_RESIZE;
    default: return c >= KEY_MIN ? CCURSES_KEY_OTHER : c;
    }
}
