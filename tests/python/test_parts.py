"""neardup sign-part --split ranges (issue 23): parts cut in byte ranges of
the inputs, signed apart and merged with --signed-parts, give the output of
one run byte for byte: documents, ids made up from line numbers, sources,
skipped records and errors, wherever the cuts fall (inside a long line, on
a file boundary, parts with no line, more parts than lines)."""

import gzip
import json
import os
import random
import subprocess
import unittest

import corpus


def sign_part_files(directory, inputs, parts, *options, split="ranges"):
    """Signs every part with the CLI; returns the part files, or the first
    failing part's (exit code, stderr)."""
    paths = []
    for k in range(parts):
        path = os.path.join(directory, f"part-{k}")
        done = subprocess.run(
            [corpus.CLI, "sign-part", "-q", "--split", split, "--part", str(k), "--parts",
             str(parts), *options, *inputs, "-o", path], capture_output=True, text=True)
        if done.returncode != 0:
            return None, (done.returncode, done.stderr)
        paths.append(path)
    return paths, None


def dedup_outputs(out):
    """Every file of a dedup output directory; of the manifest, all but the
    command line that wrote it."""
    files = corpus.tree_bytes(out)
    manifest = json.loads(files.pop("manifest.json"))
    del manifest["command"]
    files["manifest.json"] = manifest
    return files


class RangePartsTest(unittest.TestCase):
    def setUp(self):
        self.dir = corpus.temp_dir(self)
        self.sources = [text for _, text in corpus.corpus_docs()]
        self.rng = random.Random(23)

    def text(self, i):
        """Document i: a corpora/ text, every third one a near copy of the one
        three before (so that clusters cross the cuts)."""
        base = self.sources[(i // 3 * 7) % len(self.sources)].split()[:300]
        if i % 3 == 1:
            base = base[:]
            base[len(base) // 2] = f"edit{i}"
        elif i % 3 == 2:
            base = base[10:] + [f"tail{i}"]
        return " ".join(base)

    def write_jsonl(self, name, records, bom=False, final_newline=True):
        path = os.path.join(self.dir, name)
        body = "\n".join(records) + ("\n" if final_newline else "")
        with open(path, "wb") as f:
            f.write((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
        return path

    def check_same(self, inputs, part_counts, *options, dedup=True):
        """cluster (and dedup) on the parts equal one run, for each part count."""
        reference = os.path.join(self.dir, "ref.jsonl")
        corpus.run_cli("cluster", "-q", *options, *inputs, "-o", reference)
        with open(reference, "rb") as f:
            expected = f.read()
        self.assertGreater(expected.count(b"\n"), 0, "no clusters: the test would be vacuous")
        expected_dedup = None
        if dedup:
            ref_dir = os.path.join(self.dir, "ref-dedup")
            corpus.run_cli("dedup", "-q", "--force", *options, *inputs, "-o", ref_dir)
            expected_dedup = dedup_outputs(ref_dir)
        for parts in part_counts:
            with self.subTest(parts=parts):
                paths, failed = sign_part_files(self.dir, inputs, parts, *options)
                self.assertIsNone(failed)
                out = os.path.join(self.dir, "parts.jsonl")
                corpus.run_cli("cluster", "-q", *options, *inputs, "-o", out,
                               "--signed-parts", *paths)
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), expected)
                if dedup:
                    out_dir = os.path.join(self.dir, "parts-dedup")
                    corpus.run_cli("dedup", "-q", "--force", *options, *inputs, "-o", out_dir,
                                   "--signed-parts", *paths)
                    self.assertEqual(dedup_outputs(out_dir), expected_dedup)

    def test_one_file_cut_inside_a_long_line_with_empty_parts(self):
        # A byte order mark, records without an id (ids made up from their
        # line), blank lines, a line of over 1 MB holding most of the file (the
        # cuts of 3, 4 and 7 parts fall inside it, so some parts hold no
        # line), and no newline after the last line.
        path = os.path.join(self.dir, "one.jsonl")
        records = []
        long_line = None
        for i in range(120):
            text = self.text(i)
            if i == 60:
                text = " ".join([text] * 600)  # over a MB
                long_line = len(records)
            records.append(json.dumps({"text": text} if i % 4 == 0 else {"id": f"r{i}", "text": text}))
            if i % 17 == 3:
                records.append("   ")
        self.write_jsonl("one.jsonl", records, bom=True, final_newline=False)
        self.assertGreater(len(records[long_line].encode()), os.path.getsize(path) * 2 // 3)
        self.check_same([path], [1, 2, 3, 4, 7])

    def test_an_id_field_that_reads_like_a_line_id_is_kept(self):
        # Every record's id is as long as "<path>:1"; after the file is
        # written, the record on the first line of part 1 of 2 gets exactly
        # that id, which a part that took it for an id made up from its line
        # would rename.
        path = os.path.join(self.dir, "ids.jsonl")
        trap = f"{path}:1"
        records = [json.dumps({"id": f"q{i:0{len(trap) - 1}d}", "text": self.text(i)})
                   for i in range(90)]
        self.write_jsonl("ids.jsonl", records)
        with open(path, "rb") as f:
            data = f.read()
        cut = data.index(b"\n", len(data) // 2 - 1) + 1  # part 1's first line start
        line = data[cut:data.index(b"\n", cut)]
        old_id = json.loads(line)["id"]
        data = data.replace(json.dumps(old_id).encode(), json.dumps(trap).encode(), 1)
        with open(path, "wb") as f:
            f.write(data)
        self.check_same([path], [2])
        out = os.path.join(self.dir, "d")
        corpus.run_cli("dedup", "-q", path, "-o", out)
        with open(os.path.join(out, "decisions.jsonl")) as f:
            self.assertIn(json.dumps(trap), f.read())

    def test_cut_on_a_file_boundary_and_files_read_whole(self):
        first = [json.dumps({"text": self.text(i)}) for i in range(60)]
        second = [json.dumps({"text": self.text(i)}) for i in range(60, 120)]
        # The smaller file's last record padded to the other's size: 2 parts
        # are then cut exactly between them.
        sizes = [sum(len(r.encode()) + 1 for r in rs) for rs in (first, second)]
        short = first if sizes[0] < sizes[1] else second
        short[-1] = short[-1][:-1] + " " * abs(sizes[0] - sizes[1]) + "}"
        a = self.write_jsonl("a.jsonl", first)
        b = self.write_jsonl("b.jsonl", second)
        self.assertEqual(os.path.getsize(a), os.path.getsize(b))
        self.check_same([a, b], [2, 3])
        # Files read whole by one part: gzip JSONL, a text file, an empty
        # JSONL, between two plain JSONL files cut in ranges.
        gz = os.path.join(self.dir, "c.jsonl.gz")
        with gzip.open(gz, "wt", encoding="utf-8") as f:
            for i in range(120, 160):
                f.write(json.dumps({"text": self.text(i)}) + "\n")
        txt = os.path.join(self.dir, "d.txt")
        with open(txt, "w", encoding="utf-8") as f:
            f.write(self.text(121))
        empty = self.write_jsonl("e.jsonl", [], final_newline=False)
        self.check_same([a, gz, txt, empty, b], [1, 2, 3, 5], "--level", "near")

    def test_more_parts_than_lines(self):
        path = self.write_jsonl("tiny.jsonl", [json.dumps({"text": self.text(i)}) for i in (0, 1, 2)])
        self.check_same([path], [1, 2, 8, 40], dedup=True)

    def test_skipped_records_and_errors_as_one_read(self):
        records = []
        for i in range(150):
            records.append(json.dumps({"text": self.text(i)}))
            if i in (20, 75, 140):
                records.append('{"text": "unterminated')
            if i == 100:
                records.append('{"id": "no text"}')
        path = self.write_jsonl("bad.jsonl", records)
        # --skip-bad: the skipped records' ids (made up from their lines),
        # their place among the documents and dedup's output are one read's.
        self.check_same([path], [1, 2, 3, 4], "--skip-bad")
        # Without it: the first bad line is the error, named by its line in
        # the file, whichever part meets it.
        one = subprocess.run([corpus.CLI, "cluster", "-q", path, "-o", os.path.join(self.dir, "x")],
                             capture_output=True, text=True)
        self.assertEqual(one.returncode, 2)
        self.assertIn(f"{path}:22: malformed JSON", one.stderr)
        for parts in (2, 3, 4):
            with self.subTest(parts=parts):
                first_failure = None
                for k in range(parts):
                    done = subprocess.run(
                        [corpus.CLI, "sign-part", "-q", "--split", "ranges", "--part", str(k),
                         "--parts", str(parts), path, "-o", os.path.join(self.dir, "p")],
                        capture_output=True, text=True)
                    if done.returncode != 0:
                        first_failure = (done.returncode, done.stderr)
                        break
                self.assertEqual(first_failure, (one.returncode, one.stderr))

    def test_auto_split(self):
        path = self.write_jsonl("auto.jsonl", [json.dumps({"text": self.text(i)}) for i in range(30)])
        gz = os.path.join(self.dir, "big.jsonl.gz")
        with gzip.open(gz, "wt", encoding="utf-8") as f:
            for i in range(30):
                f.write(json.dumps({"text": self.text(i)}) + "\n")
        # A lone .jsonl.gz holds more than a part's share: blocks; a plain
        # file: ranges. Both merge into one run's output.
        for inputs in ([path], [gz]):
            with self.subTest(inputs=inputs):
                paths, failed = sign_part_files(self.dir, inputs, 2, split="auto")
                self.assertIsNone(failed)
                out = os.path.join(self.dir, "auto-out.jsonl")
                ref = os.path.join(self.dir, "auto-ref.jsonl")
                corpus.run_cli("cluster", "-q", *inputs, "-o", out, "--signed-parts", *paths)
                corpus.run_cli("cluster", "-q", *inputs, "-o", ref)
                with open(out, "rb") as f, open(ref, "rb") as g:
                    self.assertEqual(f.read(), g.read())
        # Parts of the two splits do not mix.
        ranges, _ = sign_part_files(self.dir, [path], 2, split="ranges")
        os.rename(ranges[0], ranges[0] + ".r")
        blocks, _ = sign_part_files(self.dir, [path], 2, split="blocks")
        done = subprocess.run([corpus.CLI, "cluster", "-q", path, "-o", os.path.join(self.dir, "m"),
                               "--signed-parts", ranges[0] + ".r", blocks[1]],
                              capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("split in byte ranges and another part in blocks", done.stderr)


if __name__ == "__main__":
    unittest.main()
