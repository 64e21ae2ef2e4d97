"""The ``cjlib`` command line: one module per subcommand, wired together in main."""
