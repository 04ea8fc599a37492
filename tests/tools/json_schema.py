#!/usr/bin/env python3
"""Schema helpers for the API tests.

  json_schema.py extract SEED_FILE
      prints the component schemas of an OpenAPI seed document (the YAML inside its ``` fence),
      with prose (description, title) removed, as JSON: the copy kept under tests/schemas.
  json_schema.py validate SCHEMA_FILE NAME < document.json
      validates a JSON document from stdin against components.schemas.NAME of SCHEMA_FILE with
      JSON Schema 2020-12 (as OpenAPI 3.1 uses); prints every violation and exits 1 on any.
"""
import json
import re
import sys

PROSE_KEYS = {"description", "title"}


def strip_prose(node):
    if isinstance(node, dict):
        return {k: strip_prose(v) for k, v in node.items() if k not in PROSE_KEYS}
    if isinstance(node, list):
        return [strip_prose(v) for v in node]
    return node


def extract(seed_path):
    import yaml

    text = open(seed_path, encoding="utf-8").read()
    match = re.search(r"````yaml[^\n]*\n(.*?)````", text, re.S)
    document = yaml.safe_load(match.group(1) if match else text)
    schemas = strip_prose(document["components"]["schemas"])
    print(json.dumps({"components": {"schemas": schemas}}, indent=2, sort_keys=True))


def validate(schema_path, name):
    from jsonschema import Draft202012Validator, FormatChecker

    root = json.load(open(schema_path, encoding="utf-8"))
    schema = dict(root)
    schema["$ref"] = "#/components/schemas/" + name
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(json.load(sys.stdin)), key=lambda e: list(e.path))
    for error in errors:
        print("/".join(str(p) for p in error.path) + ": " + error.message)
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "extract":
        extract(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "validate":
        sys.exit(validate(sys.argv[2], sys.argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
