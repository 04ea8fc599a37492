#!/usr/bin/env python3
"""Checks the Grafana dashboards shipped in dashboards/ and lists their expressions.

  check_dashboards.py check DIR        validate every DIR/*.json; exit 1 listing every problem
  check_dashboards.py expressions DIR  print every target's expression, and every query
                                       variable's label_values(), with the template variables
                                       replaced by values Prometheus accepts (a JSON array)

`expressions` prints objects of two shapes:
  {"dashboard": "alerts.json", "panel": "Active alerts", "refId": "A", "expr": "count by ..."}
  {"dashboard": "alerts.json", "variable": "tenant",
   "label_values": {"metric": "vitals_integration_events_total", "label": "tenant",
                    "selector": "{tenant=~\\".*\\"}"}}
User variables become ".*" (the "All" value), $__rate_interval 1m, $__interval 15s, $__range 1h,
$__range_s 3600. `metric` + `selector` is a series selector; `selector` is "" when the
label_values() has no matchers.

Standard library only: CTest runs it with the system python3.
"""

import json
import os
import re
import sys

# The one datasource reference a dashboard may hold: the DS_PROMETHEUS variable. Grafana's import
# replaces ${DS_PROMETHEUS} with the chosen data source (declared in __inputs); file provisioning
# does not, and the datasource variable of the same name resolves it instead.
DS_VARIABLE = "DS_PROMETHEUS"
DATASOURCE = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}

# Grafana's global variables, and the value each takes in `expressions`.
BUILTINS = {
    "__rate_interval": "1m",
    "__rate_interval_ms": "60000",
    "__interval": "15s",
    "__interval_ms": "15000",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
    "__from": "0",
    "__to": "3600000",
    "__dashboard": "dashboard",
    "__org": "1",
    "__user": "user",
    "__timezone": "utc",
}
# What a user variable becomes in `expressions`: "All" with allValue ".*".
USER_VALUE = ".*"

# $name, ${name}, ${name:format} / ${name.path}, [[name]], [[name:format]]. A `$` followed by
# digits only is a regex back-reference (label_replace), not a variable; Grafana leaves it too.
VARIABLE_RE = re.compile(
    r"\$\{(?P<braced>\w+)(?:[.:][^}]*)?\}"
    r"|\[\[(?P<bracketed>\w+)(?::[^\]]*)?\]\]"
    r"|\$(?P<plain>\w+)"
)
LABEL_VALUES_RE = re.compile(r"^\s*label_values\(\s*(?:(?P<selector>.+?)\s*,\s*)?(?P<label>[A-Za-z_]\w*)\s*\)\s*$",
                             re.S)

PANELS_WITHOUT_QUERIES = {"row", "text", "news", "dashlist", "welcome", "annolist"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dashboard_files(directory):
    return sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.endswith(".json"))


def all_panels(dashboard):
    """Every panel, rows' nested panels included, as (panel, nested_in_row) pairs."""
    out = []
    for panel in dashboard.get("panels") or []:
        if not isinstance(panel, dict):
            continue
        out.append((panel, None))
        for inner in panel.get("panels") or []:
            if isinstance(inner, dict):
                out.append((inner, panel))
    return out


def variables(dashboard):
    templating = dashboard.get("templating")
    if not isinstance(templating, dict):
        return []
    return [v for v in templating.get("list") or [] if isinstance(v, dict)]


def variable_query(variable):
    """A query variable's query text: a string, or the Prometheus editor's object."""
    query = variable.get("query")
    if isinstance(query, dict):
        query = query.get("query") or query.get("expr") or ""
    return query if isinstance(query, str) else ""


def references(text):
    """Names of the template variables `text` refers to."""
    names = []
    for m in VARIABLE_RE.finditer(text):
        name = m.group("braced") or m.group("bracketed") or m.group("plain")
        if name and not name.isdigit():
            names.append(name)
    return names


def substitute(text, user_variables):
    def replace(m):
        name = m.group("braced") or m.group("bracketed") or m.group("plain")
        if name in BUILTINS:
            return BUILTINS[name]
        if name in user_variables:
            return USER_VALUE
        return m.group(0)

    return VARIABLE_RE.sub(replace, text)


def balanced(expr):
    """Whether (), {} and [] nest properly outside string literals, and every string is closed."""
    closing = {")": "(", "}": "{", "]": "["}
    stack = []
    quote = None
    i = 0
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == "\\" and quote != "`":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
        elif c == "#":  # a PromQL comment runs to the end of the line
            while i < len(expr) and expr[i] != "\n":
                i += 1
        elif c in "({[":
            stack.append(c)
        elif c in closing:
            if not stack or stack.pop() != closing[c]:
                return False
        i += 1
    return not stack and quote is None


def panel_name(panel):
    title = panel.get("title")
    return 'panel %s "%s"' % (panel.get("id"), title if isinstance(title, str) else "")


# ---------------------------------------------------------------------------------------- check

class Checker:
    def __init__(self):
        self.problems = []
        self.dashboards = 0
        self.panels = 0
        self.expressions = 0
        self.uids = {}

    def problem(self, file, where, text):
        self.problems.append("%s: %s: %s" % (file, where, text))

    def check_file(self, path):
        file = os.path.basename(path)
        try:
            dashboard = load(path)
        except (OSError, ValueError) as e:
            self.problem(file, "dashboard", "not valid JSON: %s" % e)
            return
        if not isinstance(dashboard, dict):
            self.problem(file, "dashboard", "not a JSON object")
            return
        self.dashboards += 1
        self.check_dashboard(file, dashboard)
        defined = self.check_variables(file, dashboard)
        self.check_panels(file, dashboard, defined)
        self.check_datasources(file, dashboard)

    def check_dashboard(self, file, d):
        inputs = d.get("__inputs")
        if not isinstance(inputs, list) or not any(
                isinstance(i, dict) and i.get("name") == DS_VARIABLE and i.get("type") == "datasource"
                and i.get("pluginId") == "prometheus" for i in inputs):
            self.problem(file, "dashboard", "__inputs does not declare the %s datasource input "
                         "(type datasource, pluginId prometheus)" % DS_VARIABLE)
        if not isinstance(d.get("__requires"), list) or not d.get("__requires"):
            self.problem(file, "dashboard", "__requires is missing")
        title = d.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem(file, "dashboard", "no title")
        uid = d.get("uid")
        if not isinstance(uid, str) or not uid:
            self.problem(file, "dashboard", "no uid")
        elif len(uid) > 40:
            self.problem(file, "dashboard", "uid %r is longer than Grafana's 40 characters" % uid)
        elif uid in self.uids:
            self.problem(file, "dashboard", "uid %r is also the uid of %s" % (uid, self.uids[uid]))
        else:
            self.uids[uid] = file
        if d.get("id") is not None:
            self.problem(file, "dashboard", "id must be null, so that an import creates the dashboard")
        if not isinstance(d.get("schemaVersion"), int):
            self.problem(file, "dashboard", "no schemaVersion")

    def check_variables(self, file, d):
        """Checks the templating list; returns the names it defines."""
        defined = set()
        ds_variable = False
        for v in variables(d):
            name = v.get("name")
            where = "variable %s" % name
            if not isinstance(name, str) or not name:
                self.problem(file, "templating", "a variable without a name")
                continue
            if name in defined:
                self.problem(file, where, "defined twice")
            defined.add(name)
            if v.get("type") == "datasource":
                if name == DS_VARIABLE:
                    ds_variable = True
                    if v.get("query") != "prometheus":
                        self.problem(file, where, "datasource variable must have query \"prometheus\"")
                continue
            if v.get("type") == "query":
                if "datasource" not in v:
                    self.problem(file, where, "query variable without a datasource")
                if not variable_query(v).strip():
                    self.problem(file, where, "query variable with an empty query")
        if not ds_variable:
            self.problem(file, "templating", "no datasource variable named %s (type datasource, "
                         "query prometheus)" % DS_VARIABLE)
        for v in variables(d):
            if v.get("type") == "datasource":
                continue
            texts = [variable_query(v)]
            if isinstance(v.get("definition"), str):
                texts.append(v["definition"])
            for text in texts:
                for name in references(text):
                    if name not in BUILTINS and name not in defined:
                        self.problem(file, "variable %s" % v.get("name"),
                                     "query refers to undefined variable $%s" % name)
        return defined

    def check_panels(self, file, d, defined):
        panels = all_panels(d)
        if not panels:
            self.problem(file, "dashboard", "no panels")
        ids = {}
        for panel, _ in panels:
            where = panel_name(panel)
            pid = panel.get("id")
            if not isinstance(pid, int) or isinstance(pid, bool):
                self.problem(file, where, "id is not an integer")
            elif pid in ids:
                self.problem(file, where, "id %d is also the id of %s" % (pid, ids[pid]))
            else:
                ids[pid] = where
            title = panel.get("title")
            if not isinstance(title, str) or not title.strip():
                self.problem(file, where, "no title")
            kind = panel.get("type")
            if not isinstance(kind, str) or not kind:
                self.problem(file, where, "no type")
                continue
            if kind != "row":
                self.panels += 1
            if kind in PANELS_WITHOUT_QUERIES:
                continue
            desc = panel.get("description")
            if not isinstance(desc, str) or not desc.strip():
                self.problem(file, where, "no description")
            targets = panel.get("targets")
            if not isinstance(targets, list):
                targets = []
            refids = set()
            with_expr = 0
            for target in targets:
                if not isinstance(target, dict):
                    self.problem(file, where, "a target that is not an object")
                    continue
                ref = target.get("refId")
                if not isinstance(ref, str) or not ref:
                    self.problem(file, where, "a target without refId")
                elif ref in refids:
                    self.problem(file, where, "refId %s used twice" % ref)
                else:
                    refids.add(ref)
                expr = target.get("expr")
                if not isinstance(expr, str) or not expr.strip():
                    continue
                with_expr += 1
                self.expressions += 1
                for name in references(expr):
                    if name in BUILTINS:
                        continue
                    if name.startswith("__"):
                        self.problem(file, where, "target %s refers to unknown built-in $%s" % (ref, name))
                    elif name not in defined:
                        self.problem(file, where, "target %s refers to undefined variable $%s" % (ref, name))
                if not balanced(expr):
                    self.problem(file, where, "target %s: unbalanced brackets or quotes in expr" % ref)
            if not with_expr:
                self.problem(file, where, "no target with a non-empty expr")
        self.check_grid(file, panels)

    def check_grid(self, file, panels):
        # Top-level panels share the grid; a collapsed row's panels share it when it is expanded.
        groups = {None: []}
        for panel, parent in panels:
            where = panel_name(panel)
            g = panel.get("gridPos")
            keys = ("x", "y", "w", "h")
            if not isinstance(g, dict) or not all(
                    isinstance(g.get(k), int) and not isinstance(g.get(k), bool) for k in keys):
                self.problem(file, where, "gridPos must have integer x, y, w and h")
                continue
            x, y, w, h = (g[k] for k in keys)
            bad = []
            if not 0 <= x <= 23:
                bad.append("x %d is not within 0..23" % x)
            if not 1 <= w <= 24:
                bad.append("w %d is not within 1..24" % w)
            if x + w > 24:
                bad.append("x + w = %d is more than 24" % (x + w))
            if h < 1:
                bad.append("h %d is less than 1" % h)
            if y < 0:
                bad.append("y %d is negative" % y)
            for b in bad:
                self.problem(file, where, "gridPos: " + b)
            if bad:
                continue
            key = id(parent) if parent is not None else None
            groups.setdefault(key, []).append((panel, x, y, w, h))
        for group in groups.values():
            for i, (a, ax, ay, aw, ah) in enumerate(group):
                for b, bx, by, bw, bh in group[i + 1:]:
                    if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                        self.problem(file, panel_name(b), "gridPos overlaps %s" % panel_name(a))

    def check_datasources(self, file, d):
        # Every "datasource" anywhere in the dashboard, except the datasource variable's own.
        skip = {id(v) for v in variables(d) if v.get("type") == "datasource"}

        def walk(node, where):
            if isinstance(node, dict):
                if id(node) in skip:
                    return
                if node.get("type") and "gridPos" in node:
                    where = panel_name(node)
                elif "refId" in node and where.startswith("panel"):
                    where = "%s target %s" % (where.split(" target ")[0], node.get("refId"))
                elif node.get("type") and "name" in node and "query" in node:
                    where = "variable %s" % node.get("name")
                if "datasource" in node and node["datasource"] != DATASOURCE:
                    self.problem(file, where, "datasource is %s, not %s"
                                 % (json.dumps(node["datasource"]), json.dumps(DATASOURCE)))
                for key, value in node.items():
                    if key != "datasource":
                        walk(value, key if key in ("annotations", "links") and where == "dashboard" else where)
            elif isinstance(node, list):
                for value in node:
                    walk(value, where)

        walk(d, "dashboard")
        # And the ones that must be there: each queried panel, each of its targets, each query
        # variable.
        for panel, _ in all_panels(d):
            if panel.get("type") in PANELS_WITHOUT_QUERIES:
                continue
            if "datasource" not in panel:
                self.problem(file, panel_name(panel), "no datasource")
            for target in panel.get("targets") or []:
                if isinstance(target, dict) and "datasource" not in target:
                    self.problem(file, panel_name(panel), "target %s has no datasource" % target.get("refId"))


def check(directory):
    files = dashboard_files(directory)
    if not files:
        print("%s: no *.json dashboards" % directory)
        return 1
    checker = Checker()
    for path in files:
        checker.check_file(path)
    if checker.problems:
        for p in checker.problems:
            print(p)
        print("%d problem(s) in %d dashboard(s)" % (len(checker.problems), len(files)))
        return 1
    print("%d dashboards, %d panels, %d expressions: OK" % (checker.dashboards, checker.panels, checker.expressions))
    return 0


# ---------------------------------------------------------------------------------- expressions

def split_selector(selector):
    """'metric{a=~"x"}' -> ('metric', '{a=~"x"}'); 'metric' -> ('metric', ''); '{a="x"}' -> ('', '{a="x"}')."""
    m = re.match(r"\s*([A-Za-z_:][\w:]*)?\s*(\{.*\})?\s*$", selector, re.S)
    if not m:
        return "", selector.strip()
    return m.group(1) or "", m.group(2) or ""


def expressions(directory):
    files = dashboard_files(directory)
    out = []
    for path in files:
        file = os.path.basename(path)
        try:
            d = load(path)
        except (OSError, ValueError) as e:
            print("%s: not valid JSON: %s" % (file, e), file=sys.stderr)
            return 1
        user = {v.get("name") for v in variables(d) if v.get("name")}
        for v in variables(d):
            if v.get("type") != "query":
                continue
            m = LABEL_VALUES_RE.match(variable_query(v))
            if not m:
                continue
            selector = substitute(m.group("selector") or "", user)
            metric, selector = split_selector(selector)
            out.append({
                "dashboard": file,
                "variable": v.get("name"),
                "label_values": {"metric": metric, "label": m.group("label"), "selector": selector},
            })
        for panel, _ in all_panels(d):
            for target in panel.get("targets") or []:
                if not isinstance(target, dict):
                    continue
                expr = target.get("expr")
                if not isinstance(expr, str) or not expr.strip():
                    continue
                out.append({
                    "dashboard": file,
                    "panel": panel.get("title"),
                    "refId": target.get("refId"),
                    "expr": substitute(expr, user),
                })
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("check", "expressions") or not os.path.isdir(argv[2]):
        sys.stderr.write(__doc__)
        return 2
    return check(argv[2]) if argv[1] == "check" else expressions(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
