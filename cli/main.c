/*
 * main.c - the procsearch command: dispatches to one file per subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"index", cmd_index, "index pages (files, folders, .jsonl feeds) into a database"},
    {"search", cmd_search, "search the database"},
    {"suggest", cmd_suggest, "search-as-you-type: complete the last word, top pages"},
    {"serve", cmd_serve, "serve the search page and JSON API over HTTP"},
    {"get", cmd_get, "print one page by id"},
    {"delete", cmd_delete, "remove pages by id"},
    {"stats", cmd_stats, "show database statistics"},
    {"eval", cmd_eval, "measure relevance (nDCG@10, MRR@10, P@1, R@10) on judged queries"},
    {"export", cmd_export, "print pages as JSON Lines, parsed as index reads them"},
    {"gen", cmd_gen, "write a synthetic corpus (and benchmark queries) learned from real pages"},
    {"tune", cmd_tune, "learn ranking weights from judged queries (cross-validated)"},
    {"bench", cmd_bench, "time the search hot path in-process (latency percentiles, QPS)"},
    {"help", cmd_help, "show this help"},
};

int cmd_help(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("usage: procsearch COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", stdout);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'procsearch COMMAND --help' for a command's options.\n", stdout);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        cmd_help(0, NULL);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        name = "help";
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "procsearch: unknown command '%s' (try 'procsearch help')\n", argv[1]);
    return 2;
}
