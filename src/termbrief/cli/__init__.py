"""The command line: argv to a subcommand or the reader."""
