// libedit (Debian libedit-dev): line editing, history and completion for the sipas REPL.
// Swift 6 cannot touch these C globals directly, so small inline accessors stand in for them.
#include <stdio.h>
#include <editline/readline.h>

static inline void sipas_set_completer(rl_completion_func_t *completer) { rl_attempted_completion_function = completer; }
static inline void sipas_completion_done(void) { rl_attempted_completion_over = 1; }
static inline const char *sipas_line_buffer(void) { return rl_line_buffer; }
static inline int sipas_history_length(void) { return history_length; }

// Ctrl-C in a session: the handler only records the interrupt; the REPL clears the line (readline returns
// NULL on the interrupted read) or stops the running analysis at its next replicate. No SA_RESTART, so a read
// waiting for a key returns. SIGINT is unblocked too: a parent may have blocked it (test runners do).
#include <signal.h>
#include <string.h>
#include <pthread.h>
static volatile sig_atomic_t sipas_interrupt_flag = 0;
static void sipas_on_interrupt(int signal_number) { (void)signal_number; sipas_interrupt_flag = 1; }
static inline void sipas_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = sipas_on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}
static inline int sipas_interrupt_pending(void) { return sipas_interrupt_flag; }
static inline int sipas_take_interrupt(void) { int pending = sipas_interrupt_flag; sipas_interrupt_flag = 0; return pending; }
