#!/usr/bin/env python3
"""The server crate's import graph: which files import which modules, the import circles
(strongly connected components of files) and the imports that run back up a floor.

Floors, bottom to top (a file may import its own floor and the floors below):
  0 infrastructure: http, config, crypto, telemetry, state, jobs, changes, messaging, ops
  1 domains:        identity, accounts, catalog, routing, switch
  2 composition:    app, cli, bench, main, lib
Usage: scripts/import-graph.py [crates/server/src]
"""
import os, re, sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'crates/server/src')
root = os.path.normpath(root)
FLOORS = {}
for m in 'http config crypto telemetry state jobs changes messaging ops'.split():
    FLOORS[m] = 0
for m in 'identity accounts catalog routing switch'.split():
    FLOORS[m] = 1
for m in 'app cli bench main lib'.split():
    FLOORS[m] = 2

files = {}
for dp, _, fns in os.walk(root):
    for fn in fns:
        if fn.endswith('.rs'):
            p = os.path.join(dp, fn)
            rel = os.path.relpath(p, root)[:-3]
            mod = rel.replace(os.sep, '::')
            if mod.endswith('::mod'):
                mod = mod[:-5]
            files[mod] = open(p).read()

def top(mod):
    return mod.split('::')[0]

def resolve(path):
    """The longest module of `files` that `path` (a::b::c) names."""
    parts = path.split('::')
    for n in range(len(parts), 0, -1):
        cand = '::'.join(parts[:n])
        if cand in files:
            return cand
    return None

edges = defaultdict(set)
use_re = re.compile(r'crate::((?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)(?:::(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*))*)')
for mod, text in files.items():
    # strip tests
    text = re.split(r'#\[cfg\(test\)\]', text)[0]
    for m in use_re.finditer(text):
        path = m.group(1)
        # expand one level of braces: a::{b, c::d}
        bm = re.match(r'([A-Za-z0-9_:]*?)::?\{(.*)\}', path)
        paths = []
        if bm and '{' in path:
            base = bm.group(1).rstrip(':')
            for item in re.split(r',\s*', bm.group(2)):
                item = item.strip().replace('self', '').strip(':')
                paths.append(base + ('::' + item if item else ''))
        else:
            paths.append(path)
        for p in paths:
            tgt = resolve(p)
            if tgt and tgt != mod:
                edges[mod].add(tgt)
    for m in re.finditer(r'\bsuper::([A-Za-z_][A-Za-z0-9_]*)', text):
        parent = mod.rsplit('::', 1)[0] if '::' in mod else ''
        tgt = resolve((parent + '::' if parent else '') + m.group(1))
        if tgt and tgt != mod:
            edges[mod].add(tgt)

# Tarjan SCC
index = {}; low = {}; stack = []; on = set(); sccs = []; counter = [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
for v in list(files):
    if v not in index:
        strong(v)
circles = sorted([c for c in sccs if len(c) > 1], key=len, reverse=True)
up = []
for a, ts in edges.items():
    for b in ts:
        fa, fb = FLOORS.get(top(a), 1), FLOORS.get(top(b), 1)
        if fb > fa or (fa == 1 and fb == 1 and top(a) != top(b)):
            up.append((a, b))
print(f"files: {len(files)}  imports: {sum(len(t) for t in edges.values())}")
for c in circles:
    print(f"circle of {len(c)} files: {', '.join(sorted(c)) if len(c) < 25 else ', '.join(sorted(set(top(x) for x in c))) + ' (modules)'}")
across = [(a, b) for a, b in up if FLOORS.get(top(b), 1) <= FLOORS.get(top(a), 1)]
upward = [(a, b) for a, b in up if FLOORS.get(top(b), 1) > FLOORS.get(top(a), 1)]
print(f"imports up a floor: {len(upward)}")
for a, b in sorted(upward):
    print(f"  {a} -> {b}")
print(f"imports from one domain into another: {len(across)}")
for a, b in sorted(across):
    print(f"  {a} -> {b}")
