"""python3 -m neardup.dask: byte-identical to `neardup cluster` on a
LocalCluster of 1, 2 and 4 worker processes, with more parts than workers,
over several files cut in byte ranges or read whole, at every level and
method (exact, near with MinHash or SimHash, story), when a worker is
killed mid-run, and on a scheduler given by its TCP address; an input
error is reported as the CLI reports it."""

import gzip
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

    def reference_of(self, inputs):
        out = os.path.join(self.dir.name, "ref-inputs.jsonl")
        corpus.run_cli("cluster", "-q", *inputs, "-o", out)
        with open(out, "rb") as f:
            return f.read()

    def run_dask(self, scheduler, *options, inputs=None):
        out = os.path.join(self.dir.name, "dask.jsonl")
        if os.path.exists(out):
            os.remove(out)
        done = subprocess.run(
            [sys.executable, "-m", "neardup.dask", "cluster", "--scheduler", scheduler, "-q",
             *options, *(inputs or [self.input]), "-o", out],
            capture_output=True, text=True, timeout=600)
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

    def test_byte_ranges_over_several_files(self):
        # Plain JSONL cut in byte ranges (one without ids: ids made up from
        # line numbers, which each part counts from its own start), a gzip
        # file read whole, the splits forced and chosen.
        with open(self.input, encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        a = os.path.join(self.dir.name, "a.jsonl")
        with open(a, "w", encoding="utf-8") as f:
            for line in lines[:5000]:
                record = json.loads(line) if line.strip() else None
                f.write(json.dumps({"text": record["text"]}) + "\n" if record else line)
        gz = os.path.join(self.dir.name, "c.jsonl.gz")
        with gzip.open(gz, "wt", encoding="utf-8") as f:
            f.writelines(lines[5000:7000])
        b = os.path.join(self.dir.name, "b.jsonl")
        with open(b, "w", encoding="utf-8") as f:
            f.writelines(lines[7000:])
        inputs = [a, gz, b]
        expected = self.reference_of(inputs)
        for workers, split in ((1, "ranges"), (2, "ranges"), (4, "auto"), (2, "blocks")):
            with self.subTest(workers=workers, split=split):
                self.assertEqual(self.run_dask(f"local:{workers}", "--split", split, inputs=inputs),
                                 expected)

    def test_input_error_reported_as_the_cli_does(self):
        bad = os.path.join(self.dir.name, "bad.jsonl")
        with open(self.input, encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        with open(bad, "w", encoding="utf-8") as f:
            f.writelines(lines[:9000] + ['{"text": "cut\n'] + lines[9000:])
        out = os.path.join(self.dir.name, "err.jsonl")
        cli = subprocess.run([corpus.CLI, "cluster", "-q", bad, "-o", out], capture_output=True,
                             text=True)
        self.assertEqual(cli.returncode, 2)
        self.assertIn(f"{bad}:9001: malformed JSON", cli.stderr)
        done = subprocess.run(
            [sys.executable, "-m", "neardup.dask", "cluster", "--scheduler", "local:2", "-q", bad,
             "-o", out], capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, cli.returncode)
        self.assertIn(cli.stderr, done.stderr)
        self.assertFalse(os.path.exists(out))

    def story_input(self):
        """The first 3,000 records of the planted corpus: the story level
        compares every pair sharing salient words, so a smaller input."""
        path = os.path.join(self.dir.name, "story.jsonl")
        if not os.path.exists(path):
            with open(self.input, encoding="utf-8") as f:
                lines = f.read().splitlines(keepends=True)
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(lines[:3000])
        return path

    def test_simhash_on_workers(self):
        stats = os.path.join(self.dir.name, "words.ndstats")
        corpus.run_cli("stats", "build", "-q", self.input, "-o", stats)
        for options in (("--method", "simhash"), ("--method", "simhash", "--stats", stats)):
            expected = self.reference(*options)
            # Not vacuous: clusters with members signed by different parts.
            clusters = [json.loads(line) for line in expected.splitlines()]
            self.assertGreater(len(clusters), 300)
            for workers, parts in ((1, 1), (2, 2), (4, 4), (2, 5)):
                with self.subTest(options=options, workers=workers, parts=parts):
                    self.assertEqual(
                        self.run_dask(f"local:{workers}", "--parts", str(parts), *options),
                        expected)

    def test_story_level_on_workers(self):
        path = self.story_input()
        stats = os.path.join(self.dir.name, "story.ndstats")
        corpus.run_cli("stats", "build", "-q", path, "-o", stats)
        # The default: signed with the background, the input's words counted
        # by the parts and added up here; with --stats, signed with them.
        for options in ((), ("--stats", stats), ("--stats", stats, "--no-background")):
            options = ("--level", "story") + options
            expected = self.reference_of([*options, path])
            clusters = [json.loads(line) for line in expected.splitlines()]
            self.assertGreater(len(clusters), 50)
            self.assertEqual({c["level"] for c in clusters}, {"story"})
            self.assertGreater(sum(len({int(m["id"][1:]) * 4 // 3000 for m in c["members"]}) > 1
                                   for c in clusters), 10)  # clusters across 4 parts
            for workers, parts in ((1, 1), (2, 2), (4, 4), (2, 3)):
                with self.subTest(options=options, workers=workers, parts=parts):
                    self.assertEqual(
                        self.run_dask(f"local:{workers}", "--parts", str(parts), *options,
                                      inputs=[path]), expected)

    def test_story_without_background_counts_words_first(self):
        # --no-background without --stats: the parts count their words, the
        # driver adds the counts up and the parts sign with them.
        path = self.story_input()
        expected = self.reference_of(["--level", "story", "--no-background", path])
        self.assertGreater(expected.count(b"\n"), 50)
        for workers, parts in ((1, 1), (2, 2), (4, 4), (2, 3)):
            with self.subTest(workers=workers, parts=parts):
                self.assertEqual(self.run_dask(f"local:{workers}", "--parts", str(parts),
                                               "--level", "story", "--no-background",
                                               inputs=[path]), expected)
        # Not quiet: the summary names the counting step.
        out = os.path.join(self.dir.name, "dask-loud.jsonl")
        done = subprocess.run(
            [sys.executable, "-m", "neardup.dask", "cluster", "--scheduler", "local:2",
             "--level", "story", "--no-background", path, "-o", out],
            capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("counting words", done.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), expected)

    def test_scheduler_by_tcp_address(self):
        # A scheduler the driver only knows by address, as a remote one: a
        # LocalCluster of worker processes listening on TCP, started here.
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          host="127.0.0.1", scheduler_port=0, dashboard_address=None) as cluster:
            address = cluster.scheduler_address
            self.assertTrue(address.startswith("tcp://127.0.0.1:"), address)
            got = self.run_dask(address, "--parts", "3")
            self.assertEqual(got, self.reference())
            got = self.run_dask(address, "--level", "story", "--parts", "2",
                                inputs=[self.story_input()])
        self.assertEqual(got, self.reference_of(["--level", "story", self.story_input()]))

    def test_killed_worker(self):
        marker = os.path.join(self.dir.name, "killed")
        got = self.run_dask("local:2", "--test-kill-once", marker)
        self.assertTrue(os.path.isdir(marker), "no worker was killed")
        self.assertEqual(got, self.reference())
        os.rmdir(marker)
        got = self.run_dask("local:2", "--test-kill-once", marker, "--level", "story",
                            inputs=[self.story_input()])
        self.assertTrue(os.path.isdir(marker), "no worker was killed")
        self.assertEqual(got, self.reference_of(["--level", "story", self.story_input()]))


if __name__ == "__main__":
    unittest.main()
