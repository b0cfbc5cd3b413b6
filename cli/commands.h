/*
 * commands.h - one entry point per subcommand.  Each takes the arguments
 * after "procsearch" (argv[0] is the command's name) and returns the process
 * exit status: 0 success, 1 a failure of the work, 2 a usage error.
 */
#ifndef PS_COMMANDS_H
#define PS_COMMANDS_H

int cmd_help(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_tune(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_suggest(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_gen(int argc, char **argv);

#endif
