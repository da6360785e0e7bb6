"""The benchmark code works: tiny micro-benchmarks run once, ratios come from real measurements.

No timing assertion: only that each figure is computed from the times that were measured, that the
baselines compute the same results as the references, and that rows and tables report honestly.
"""

import json
import statistics

import pytest
import torch

from bench import calibrate, micro, notebooks, record
from bench.__main__ import main, table
from bench.defs import load_definitions
from bench.measure import interleaved, paired_ratio, row

TINY_WORKLOAD = {"batch": 2, "size": 32, "threads": 1}  # the calibration's code path, at a tiny size


def check_ratio_from_measurements(result, slow, fast):
    seconds = result["details"]["seconds"]
    assert all(s > 0 for s in seconds[slow] + seconds[fast])
    expected = statistics.median(a / b for a, b in zip(seconds[slow], seconds[fast], strict=True))
    assert result["value"] == pytest.approx(expected)


def test_load_definitions_takes_solutions_from_the_source_notebook():
    found = load_definitions("02_resnet18", ["ResNet18", "BasicBlock"])
    assert issubclass(found["ResNet18"], torch.nn.Module)
    with pytest.raises(KeyError, match="no_such_exercise"):
        load_definitions("02_resnet18", ["no_such_exercise"])


def test_interleaved_runs_every_function_each_round_in_alternating_order():
    calls = []
    functions = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    seconds = interleaved(functions, repeats=3, warmup=1)
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b"]
    assert [len(v) for v in seconds.values()] == [3, 3]
    assert paired_ratio({"a": [2.0, 4.0, 9.0], "b": [1.0, 1.0, 1.0]}, "a", "b") == 4.0


def test_resnet_bench_tiny():
    (result,) = micro.bench_resnet(batch=2, size=32, repeats=2, warmup=0)
    check_ratio_from_measurements(result, "torchvision", "course")
    assert result["target"] == 0.95 and result["met"] is (result["value"] >= 0.95)


def test_yolo_bench_tiny():
    (result,) = micro.bench_yolo(images=4, max_boxes=3, repeats=2, warmup=0)
    check_ratio_from_measurements(result, "loop", "reference")
    assert result["target"] == 20.0


def test_yolo_baselines_match_the_reference_on_edge_cases():
    build_targets = load_definitions("05_yolo", ["build_targets"])["build_targets"]
    boxes = [torch.tensor([[0.50, 0.50, 0.2, 0.2], [0.52, 0.51, 0.9, 0.9],  # same cell: the first wins
                           [1.00, 1.00, 1.0, 1.0], [0.0, 0.0, 0.1, 0.1]]),   # borders
             torch.zeros(0, 4)]                                             # an image without boxes
    labels = [torch.tensor([3, 4, 19, 0]), torch.zeros(0, dtype=torch.int64)]
    expected = build_targets(boxes, labels)
    torch.testing.assert_close(micro.build_targets_loop(boxes, labels), expected)
    many_boxes, many_labels = micro.random_boxes(images=8, max_boxes=20, seed=3)
    torch.testing.assert_close(micro.build_targets_loop(many_boxes, many_labels),
                               build_targets(many_boxes, many_labels))


def test_augment_bench_tiny():
    (result,) = micro.bench_augment(batch=4, size=8, erase=2, repeats=2, warmup=0)
    check_ratio_from_measurements(result, "v2_per_sample", "batched")
    assert set(result["details"]["images_per_s"]) == {"v2_per_sample", "batched"}


def test_rows_say_whether_and_by_how_much_a_target_is_missed():
    assert row("a", "a", 2.0, "x", target=1.7)["met"] is True
    slow = row("a", "a", 0.5, "x", target=20.0)
    assert slow["met"] is False and slow["miss"] == "40.00x short"
    late = row("n", "n", 120.0, "s", target=90, goal="<=")
    assert late["met"] is False and "+30 s over" in late["miss"]
    assert row("i", "i", 3.0, "x")["met"] is None
    text = table([slow, late, row("u", "u", None, "x", target=1.7, note="not available")])
    assert "MISSED: 40.00x short" in text and "n/a" in text and "not available" in text


def test_make_test_row_reads_what_make_test_recorded(monkeypatch, tmp_path):
    path = tmp_path / "make_test.json"
    monkeypatch.setattr(notebooks, "MAKE_TEST_RECORD", path)
    monkeypatch.setattr(record, "MAKE_TEST_RECORD", path)
    (missing,) = notebooks.bench_make_test()
    assert missing["value"] is None and "not measured" in missing["note"]
    import time

    record.main([str(time.time() - 100), "0"])
    (result,) = notebooks.bench_make_test()
    assert 99 <= result["value"] <= 200 and result["met"] is True
    assert json.loads(path.read_text())["status"] == 0


def test_command_line_subset_writes_and_merges_results(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(calibrate, "WORKLOAD", TINY_WORKLOAD)
    monkeypatch.setattr(calibrate, "SMALL_MAPS", TINY_WORKLOAD)
    output = tmp_path / "results.json"
    output.write_text(json.dumps({"rows": [{"id": "old", "group": "startup", "name": "kept"}]}))
    assert main(["--only", "yolo", "--quick", "--output", str(output)]) == 0
    written = json.loads(output.read_text())
    assert [r["id"] for r in written["rows"]] == ["calibration", "calibration_small_maps", "yolo", "old"]
    assert written["machine"]["cpus"] >= 1 and written["groups"] == ["yolo"]
    assert written["host"]["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    out = capsys.readouterr().out
    assert "build_targets" in out and "host: " in out and "calibration: ResNet-18" in out
    with pytest.raises(SystemExit, match="unknown groups"):
        main(["--only", "nonsense", "--output", str(output)])


def test_calibration_row_names_the_host_and_times_are_given_relative_to_it(monkeypatch):
    cal, small = calibrate.bench_calibration(repeats=2, workload=TINY_WORKLOAD, small_maps=TINY_WORKLOAD)
    assert cal["id"] == "calibration" and cal["unit"] == "s"
    assert small["id"] == "calibration_small_maps"
    assert small["calibrated"] == round(small["value"] / cal["value"], 2)
    assert cal["value"] == pytest.approx(statistics.median(cal["details"]["seconds"])) and cal["value"] > 0
    facts = cal["details"]["host"]
    assert facts["cores"] >= 1 and facts["cpu_model"] and facts["cpu_capability"]
    assert f"torch CPU capability {facts['cpu_capability']}" in cal["note"] and "BLAS threads" in cal["note"]
    timed, ratio = row("n", "n", 30.0, "s"), row("r", "r", 2.0, "x")
    calibrate.relative([cal, timed, ratio], 0.5)
    assert timed["calibrated"] == 60.0 and "calibrated" not in ratio and "calibrated" not in cal
    assert "60x" in table([timed])


def test_a_run_writes_the_tracked_results_only_when_asked_to_record(monkeypatch, tmp_path):
    from bench import __main__ as bench_main

    tracked, scratch = tmp_path / "results.json", tmp_path / "cache" / "results.json"
    monkeypatch.setattr(bench_main, "RESULTS", tracked)
    monkeypatch.setattr(bench_main, "SCRATCH", scratch)
    monkeypatch.setattr(bench_main, "run_group", lambda group, args: [row(group, group, 1.0, "s")])
    monkeypatch.setattr(calibrate, "WORKLOAD", TINY_WORKLOAD)
    monkeypatch.setattr(calibrate, "SMALL_MAPS", TINY_WORKLOAD)
    assert main(["--only", "yolo", "--quick"]) == 0
    assert scratch.exists() and not tracked.exists()
    with pytest.raises(SystemExit):
        main(["--only", "yolo", "--quick", "--record"])
    assert not tracked.exists()
    assert main(["--only", "yolo", "--record"]) == 0
    (yolo,) = [r for r in json.loads(tracked.read_text())["rows"] if r["id"] == "yolo"]
    assert yolo["calibrated"] > 0
