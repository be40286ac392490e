"""seamig's model: parameters, geography, rules, outcome schema and engines."""
