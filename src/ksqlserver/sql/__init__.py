"""Text -> AST: the lexer, the parser, the tree and its printer (see README.md)."""
