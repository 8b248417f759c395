"""python3 -m neardup.dask on WARC inputs: a plain WARC file and a WET file
with one gzip member per record (Common Crawl's layout) are cut into byte
ranges at record starts, and the output is byte-identical to `neardup
cluster|dedup` for 1, 2 and 4 workers and several part counts, also when
a payload holding "WARC/1.0" lines (or, in gzip, whole gzip members) lies
at a would-be cut point. A single-stream .warc.gz is read whole by one part."""

import gzip
import os
import random
import subprocess
import sys
import unittest
import uuid

import corpus

RECORDS = 3000


def _record(headers, block):
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def _fake_records(count, tag):
    """Bytes that read as `count` whole WARC records: what a payload may hold."""
    return b"".join(
        _record({"WARC-Type": "conversion", "WARC-Record-ID": f"<urn:fake:{tag}:{i}>"},
                f"fake record {i} of {tag}".encode()) for i in range(count))


def warc_records(count, seed=7):
    """Serialized WARC records: a warcinfo, then `count` conversion records
    of corpora/ text (every third a near copy of an earlier one), some
    without a WARC-Record-ID (ids made up from the record number), some
    request records (not documents), some payloads holding "WARC/1.0"
    lines; in the middle, one large resource record whose payload is a
    run of whole WARC records, plain and gzip, so that a cut in the middle
    of the file falls inside it. Returns (records, index of the large one)."""
    rng = random.Random(seed)
    docs = corpus.corpus_docs()
    out = [_record({"WARC-Type": "warcinfo", "WARC-Record-ID": "<urn:uuid:info>"},
                   b"software: neardup tests\r\n")]
    trap = None
    for i in range(count):
        if i == count // 2:
            # Runs of plain records and of gzip members, in turn.
            payload = b"".join(
                _fake_records(40, f"{i}-{k}") +
                b"".join(gzip.compress(_fake_records(1, f"{i}-{k}-{j}"), mtime=0)
                         for j in range(40))
                for k in range(60))
            # As large as a fifth of the other records together, so the middle
            # cut of two parts lands in it whatever the exact sizes.
            trap = len(out)
            out.append(_record({"WARC-Type": "resource", "WARC-Record-ID": "<urn:uuid:trap>",
                                "Content-Type": "application/octet-stream"}, payload))
        _, text = docs[rng.randrange(len(docs))]
        words = text.split()
        if i % 3:
            start = rng.randrange(max(1, len(words) - 60))
            words = words[start:start + rng.randrange(60, 300)] + [f"doc{i}"]
        else:
            for _ in range(rng.randrange(4)):
                words[rng.randrange(len(words))] = f"edit{rng.randrange(10**6)}"
        body = " ".join(words)
        if i % 5 == 2:
            half = len(body) // 2
            body = body[:half] + "\n" + _fake_records(1, i).decode() + body[half:]
        headers = {"WARC-Type": "request" if i % 11 == 4 else "conversion",
                   "WARC-Target-URI": f"http://example.com/{i}", "Content-Type": "text/plain"}
        if i % 7:
            headers["WARC-Record-ID"] = f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"
        out.append(_record(headers, body.encode()))
    return out, trap


class DaskWarcTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile

        cls.dir = tempfile.TemporaryDirectory(prefix="neardup-dask-warc-")
        records, cls.trap = warc_records(RECORDS)
        cls.plain = os.path.join(cls.dir.name, "crawl.warc")
        with open(cls.plain, "wb") as f:
            f.writelines(records)
        cls.wet = os.path.join(cls.dir.name, "crawl.warc.wet.gz")
        with open(cls.wet, "wb") as f:
            f.writelines(gzip.compress(r, mtime=0) for r in records)
        # The same with the large record's member stored (level 0), as a
        # writer may store incompressible data: its payload's gzip members
        # then lie verbatim in the file.
        cls.stored = os.path.join(cls.dir.name, "stored.warc.wet.gz")
        with open(cls.stored, "wb") as f:
            f.writelines(gzip.compress(r, compresslevel=0 if i == cls.trap else 9, mtime=0)
                         for i, r in enumerate(records))
        cls.stream = os.path.join(cls.dir.name, "stream.warc.gz")
        with gzip.open(cls.stream, "wb") as f:
            f.writelines(records)
        cls.records = records

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def cli(self, command, inputs, *options):
        out = self.path(f"ref-{command}")
        subprocess.run(["rm", "-rf", out], check=True)
        corpus.run_cli(command, "-q", *options, *inputs, "-o", out)
        return self.read(out)

    def dask(self, command, scheduler, inputs, *options):
        out = self.path(f"dask-{command}")
        subprocess.run(["rm", "-rf", out], check=True)
        done = subprocess.run(
            [sys.executable, "-m", "neardup.dask", command, "--scheduler", scheduler, "-q",
             *options, *inputs, "-o", out], capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, 0, done.stderr)
        return self.read(out)

    @staticmethod
    def read(out):
        if os.path.isfile(out):
            with open(out, "rb") as f:
                return f.read()
        files = corpus.tree_bytes(out)
        files.pop("manifest.json", None)  # names the command line
        return files

    def sign_parts(self, path, parts, *options):
        """Runs neardup sign-part --split ranges for every part: the exit codes."""
        codes = []
        for k in range(parts):
            done = subprocess.run(
                [corpus.CLI, "sign-part", "-q", "--split", "ranges", "--part", str(k), "--parts",
                 str(parts), *options, path, "-o", self.path(f"p{k}.ndpart")],
                capture_output=True, text=True)
            codes.append(done.returncode)
        return codes

    def test_trap_lies_at_the_middle_cut(self):
        # Not vacuous: the middle of the file (the cut of two parts) falls in
        # the payload of records and gzip members.
        start = sum(len(r) for r in self.records[:self.trap])
        end = start + len(self.records[self.trap])
        middle = os.path.getsize(self.plain) // 2
        self.assertLess(start, middle)
        self.assertLess(middle, end)
        with open(self.plain, "rb") as f:
            f.seek(middle)
            near = f.read(16384)
        self.assertIn(b"\r\nWARC/1.0\r\n", near)
        self.assertIn(b"\x1f\x8b\x08", near)

    def test_plain_warc_cut_by_record(self):
        expected = self.cli("cluster", [self.plain])
        self.assertGreater(expected.count(b"\n"), 300)
        self.assertIn(b'"id": "' + self.plain.encode() + b":", expected)  # made-up ids
        for workers, parts in ((1, 1), (2, 2), (4, 4), (2, 3), (2, 7)):
            with self.subTest(workers=workers, parts=parts):
                self.assertEqual(
                    self.dask("cluster", f"local:{workers}", [self.plain], "--parts", str(parts),
                              "--split", "ranges"), expected)
        # The parts do read pieces: every part of 3 succeeds and holds records.
        self.assertEqual(self.sign_parts(self.plain, 3), [0, 0, 0])
        sizes = [os.path.getsize(self.path(f"p{k}.ndpart")) for k in range(3)]
        self.assertGreater(min(sizes), max(sizes) // 3)

    def test_per_record_gzip_cut_by_member(self):
        expected = self.cli("cluster", [self.wet])
        for workers, parts in ((1, 1), (2, 3), (4, 4), (2, 7)):
            with self.subTest(workers=workers, parts=parts):
                self.assertEqual(
                    self.dask("cluster", f"local:{workers}", [self.wet], "--parts", str(parts),
                              "--split", "ranges"), expected)
        # Every part is cut at members and reads its own: the payload's
        # members are compressed in the large record's member, out of sight.
        self.assertEqual(self.sign_parts(self.wet, 7), [0] * 7)
        sizes = [os.path.getsize(self.path(f"p{k}.ndpart")) for k in range(7)]
        self.assertGreater(min(sizes), max(sizes) // 4)

    def test_gzip_members_in_a_payload_at_the_cut(self):
        # The gzip members stored verbatim inside the large record's member
        # each hold one whole record and end where another starts: the middle
        # cut is taken there. The part before it then meets a member cut
        # short, fails as a bad input, and the driver reads the file whole:
        # still the CLI's output.
        with open(self.stored, "rb") as f:
            data = f.read()
        self.assertGreater(data.count(b"\x1f\x8b\x08"), len(self.records) + 1000)
        codes = self.sign_parts(self.stored, 2)
        self.assertEqual(codes[0], 2)
        self.assertEqual(
            self.dask("cluster", "local:2", [self.stored], "--split", "ranges"),
            self.cli("cluster", [self.stored]))

    def test_dedup_with_skipped_and_cut_short_records(self):
        # A WET file cut short in its last member and a WARC file cut short in
        # its last block, with --skip-bad: decisions (with skipped records
        # and their reasons) and the deduplicated files match.
        wet = self.path("cut.warc.wet.gz")
        with open(self.wet, "rb") as f:
            data = f.read()
        with open(wet, "wb") as f:
            f.write(data[:-300])
        plain = self.path("cut.warc")
        with open(self.plain, "rb") as f:
            data = f.read()
        with open(plain, "wb") as f:
            f.write(data[:-300])
        for inputs in ([wet], [plain], [plain, wet]):
            expected = self.cli("dedup", inputs, "--skip-bad")
            self.assertIn(b"rest of file abandoned", expected["decisions.jsonl"])
            for workers in (1, 2, 4):
                with self.subTest(inputs=inputs, workers=workers):
                    self.assertEqual(
                        self.dask("dedup", f"local:{workers}", inputs, "--skip-bad", "--parts",
                                  "5"), expected)

    def test_killed_worker(self):
        # A worker killed by SIGKILL while it signs a part of the WARC and WET
        # files: Dask runs the task again elsewhere, and the output is the CLI's.
        inputs = [self.plain, self.wet]
        expected = self.cli("cluster", inputs)
        self.assertGreater(expected.count(b"\n"), 300)
        for level in ("near", "story"):
            with self.subTest(level=level):
                marker = self.path(f"killed-{level}")
                got = self.dask("cluster", "local:2", inputs, "--parts", "4", "--split", "ranges",
                                "--level", level, "--test-kill-once", marker)
                self.assertTrue(os.path.isdir(marker), "no worker was killed")
                self.assertEqual(got, expected if level == "near"
                                 else self.cli("cluster", inputs, "--level", level))

    def test_single_stream_gzip_is_one_part(self):
        expected = self.cli("cluster", [self.stream])
        self.assertEqual(self.sign_parts(self.stream, 3), [0, 0, 0])
        sizes = sorted(os.path.getsize(self.path(f"p{k}.ndpart")) for k in range(3))
        self.assertLess(sizes[1] * 100, sizes[2])  # one part holds every record
        self.assertEqual(self.dask("cluster", "local:2", [self.stream]), expected)


if __name__ == "__main__":
    unittest.main()
