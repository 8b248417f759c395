"""python3 -m neardup.dask: byte-identical to `neardup cluster` on a
LocalCluster of 1, 2 and 4 worker processes, with more parts than workers,
and when a worker is killed mid-run."""

import json
import os
import subprocess
import sys
import unittest

import corpus

# 13,000 documents: four blocks of 4096, so that with 2 and 4 parts every
# part holds documents and clusters cross parts.
DOCUMENTS = 13000


class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile

        cls.dir = tempfile.TemporaryDirectory(prefix="neardup-dask-")
        cls.input = os.path.join(cls.dir.name, "planted.jsonl")
        corpus.write_planted_jsonl(cls.input, DOCUMENTS)
        cls.expected = {}

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def reference(self, *options):
        if options not in self.expected:
            out = os.path.join(self.dir.name, f"ref-{len(self.expected)}.jsonl")
            corpus.run_cli("cluster", "-q", *options, self.input, "-o", out)
            with open(out, "rb") as f:
                self.expected[options] = f.read()
        return self.expected[options]

    def run_dask(self, scheduler, *options, env=None):
        out = os.path.join(self.dir.name, "dask.jsonl")
        if os.path.exists(out):
            os.remove(out)
        done = subprocess.run(
            [sys.executable, "-m", "neardup.dask", "cluster", "--scheduler", scheduler, "-q",
             *options, self.input, "-o", out],
            capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(out, "rb") as f:
            got = f.read()
        leftovers = [n for n in os.listdir(self.dir.name) if "neardup-parts" in n]
        self.assertEqual(leftovers, [], "part files left behind")
        return got

    def test_local_workers_match_the_cli(self):
        expected = self.reference()
        # Not vacuous: hundreds of clusters, some with members in blocks
        # signed by different parts (ids are d<record number>).
        clusters = [json.loads(line) for line in expected.splitlines()]
        self.assertGreater(len(clusters), 300)
        blocks = [{int(m["id"][1:]) // 4096 for m in c["members"]} for c in clusters]
        self.assertGreater(sum(len(b) > 1 for b in blocks), 100)
        for workers in (1, 2, 4):
            with self.subTest(workers=workers):
                self.assertEqual(self.run_dask(f"local:{workers}"), expected)

    def test_more_parts_than_workers_and_exact_level(self):
        self.assertEqual(self.run_dask("local:2", "--parts", "5"), self.reference())
        self.assertEqual(self.run_dask("local:2", "--level", "exact"),
                         self.reference("--level", "exact"))

    def test_killed_worker(self):
        marker = os.path.join(self.dir.name, "killed")
        got = self.run_dask("local:2", env={"NEARDUP_DASK_TEST_KILL_ONCE": marker})
        self.assertTrue(os.path.isdir(marker), "no worker was killed")
        self.assertEqual(got, self.reference())


if __name__ == "__main__":
    unittest.main()
