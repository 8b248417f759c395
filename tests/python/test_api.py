"""The Python module: importable from build/python, clusters equal to the
CLI's on the corpora, errors as exceptions naming the file and line."""

import json
import os
import subprocess
import sys
import unittest

import corpus

import neardup


def cli_clusters(*args):
    """clusters.jsonl of `neardup cluster ARGS` as (id, level, members) tuples."""
    out = []
    for line in corpus.run_cli("cluster", "-q", *args).splitlines():
        c = json.loads(line)
        out.append((c["cluster"], c["level"],
                    [(m["id"], m["source"], m.get("url", ""), m["similarity"]) for m in c["members"]]))
    return out


def api_clusters(inputs, **options):
    return [(c.id, c.level, [(m.id, m.source, m.url, m.similarity) for m in c.members])
            for c in neardup.cluster(inputs, quiet=True, **options)]


class ApiTest(unittest.TestCase):
    def test_clusters_equal_the_cli(self):
        cases = [
            ("news", {}),
            ("news", {"level": "exact"}),
            ("stories", {"threshold": 0.5}),
            ("paraphrase", {"level": "story"}),
            ("stories", {"method": "simhash"}),
        ]
        for name, options in cases:
            with self.subTest(corpus=name, **options):
                docs = os.path.join(corpus.CORPORA, name, "docs")
                expected = cli_clusters(docs, *neardup.cli_args(**options))
                self.assertEqual(api_clusters(docs, **options), expected)
        # Not vacuous: the default run on news finds its seven-document cluster.
        news = api_clusters(os.path.join(corpus.CORPORA, "news", "docs"))
        self.assertGreaterEqual(max(len(c[2]) for c in news), 7)

    def test_generated_jsonl_equals_the_cli(self):
        path = os.path.join(corpus.temp_dir(self), "planted.jsonl")
        corpus.write_planted_jsonl(path, 3000)
        expected = cli_clusters(path)
        self.assertGreater(len(expected), 100)
        got = api_clusters(path, threads=1)
        self.assertEqual(got, expected)
        rep = neardup.cluster(path, quiet=True)[0]
        self.assertEqual(rep.representative.id, rep.members[0].id)

    def test_id_text_pairs_cluster_as_the_same_jsonl(self):
        # The same documents as (id, text) pairs and as a JSONL file: the same
        # clusters, members and similarities; a source names the pair's position.
        path = os.path.join(corpus.temp_dir(self), "planted.jsonl")
        corpus.write_planted_jsonl(path, 2000)
        with open(path) as f:
            records = [json.loads(line) for line in f if line.strip()]
        pairs = [(r["id"], r["text"]) for r in records]
        for options in ({}, {"level": "exact"}, {"threshold": 0.6}, {"method": "simhash"}):
            with self.subTest(**options):
                from_file = neardup.cluster(path, quiet=True, **options)
                from_pairs = neardup.cluster(iter(pairs), quiet=True, **options)
                self.assertGreater(len(from_file), 20)
                self.assertEqual(
                    [(c.id, c.level, [(m.id, m.similarity) for m in c.members]) for c in from_pairs],
                    [(c.id, c.level, [(m.id, m.similarity) for m in c.members]) for c in from_file])
                for c in from_pairs:
                    for m in c.members:
                        name, _, n = m.source.rpartition(":")
                        self.assertEqual(name, "<texts>")
                        self.assertEqual(pairs[int(n) - 1][0], m.id)

    def test_mixed_inputs_are_a_type_error(self):
        with self.assertRaises(TypeError):
            neardup.cluster([("a", "one two three"), os.path.join(corpus.CORPORA, "news", "docs")])

    def test_error_names_file_and_line(self):
        path = os.path.join(corpus.temp_dir(self), "bad.jsonl")
        with open(path, "w") as f:
            f.write('{"id": "a", "text": "one two three"}\n{"id": "b", "text": \n')
        with self.assertRaises(neardup.Error) as caught:
            neardup.cluster(path, quiet=True)
        self.assertIn("bad.jsonl:2", str(caught.exception))

    def test_bad_option_is_a_value_error(self):
        with self.assertRaises(ValueError):
            neardup.cluster(os.path.join(corpus.CORPORA, "news", "docs"), threshold=2)

    def test_module_runs_the_command_line(self):
        done = subprocess.run([sys.executable, "-m", "neardup", "--version"],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stdout, corpus.run_cli("--version"))


if __name__ == "__main__":
    unittest.main()
