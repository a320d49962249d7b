"""Adapters that compare our Fountain parser with three other parsers' test suites."""
