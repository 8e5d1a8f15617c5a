"""amorce.core.vision: types, image loading, faces and YOLO-format ONNX detectors (tiny models built here)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from amorce.core.images import ImageRejected
from amorce.core.vision import Box, VisionError, detect_faces, load_image, onnx_detector
from amorce.core.vision.boxes import letterbox, nms
from amorce.core.vision.yolo import decode_yolo


def test_import_is_light():
    code = ("import sys, amorce.core.vision as v; v.__all__; "
            "print(any(m in sys.modules for m in ('numpy', 'onnxruntime', 'cv2', 'onnx')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_box_geometry():
    a, b = Box(0.1, 0.1, 0.2, 0.2, 0.9, "animal"), Box(0.2, 0.1, 0.2, 0.2, 0.8, "animal")
    assert a.iou(b) == pytest.approx(0.02 / 0.06)
    assert a.pixels(100, 50) == (10, 5, 30, 15)


def test_load_image_orientation_draft_and_limit(tmp_path):
    rgb = np.zeros((400, 800, 3), dtype=np.uint8)
    rgb[:, :400] = (255, 0, 0)  # left half red, right half black
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise for display
    path = tmp_path / "photo.jpg"
    Image.fromarray(rgb).save(path, quality=95, exif=exif)
    upright = load_image(path)
    assert upright.shape == (800, 400, 3)  # portrait once EXIF orientation is applied
    assert upright[:400].mean(axis=(0, 1))[0] > 200 and upright[400:].mean() < 30  # red on top
    small = load_image(path, max_side=100)
    assert max(small.shape[:2]) == 100 and small.shape == (100, 50, 3)
    with pytest.raises(ImageRejected, match="dépasse la limite"):
        load_image(path, max_pixels=1000)
    (tmp_path / "bad.jpg").write_bytes(b"not an image")
    with pytest.raises(ImageRejected, match="illisible"):
        load_image(tmp_path / "bad.jpg", max_side=100)


def test_letterbox_and_nms():
    image = np.zeros((50, 100, 3), dtype=np.uint8)
    canvas, placement = letterbox(image, (64, 64))
    assert canvas.shape == (64, 64, 3) and placement.ratio == pytest.approx(0.64)
    assert placement.top == 16 and canvas[0, 0, 0] == 114 and canvas[32, 32, 0] == 0
    corner, placed = letterbox(image, (64, 64), centre=False)
    assert placed.top == 0 and corner[40, 0, 0] == 114 and corner[10, 0, 0] == 0
    boxes = np.array([[0, 0, 1, 1], [0.05, 0, 1, 1], [0, 0, 1, 1], [2, 2, 1, 1]], dtype=float)
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    assert nms(boxes, scores, 0.5) == [0, 3]
    assert nms(boxes, scores, 0.5, classes=np.array([0, 0, 1, 0])) == [0, 2, 3]


def test_decode_yolov8_layout_without_objectness():
    placement = letterbox(np.zeros((64, 64, 3), np.uint8), (64, 64))[1]
    out = np.zeros((1, 6, 3), dtype=np.float32)  # (1, 4 + 2 classes, N)
    out[0, :, 0] = [32, 32, 16, 16, 0.2, 0.7]
    out[0, :, 1] = [10, 10, 4, 4, 0.05, 0.01]
    boxes = decode_yolo(out, ("a", "b"), placement, score_threshold=0.1, iou_threshold=0.5, max_detections=10)
    assert [(b.label, round(b.score, 2)) for b in boxes] == [("b", 0.7)]
    assert (boxes[0].x, boxes[0].w) == pytest.approx((0.375, 0.25))
    with pytest.raises(VisionError, match="forme"):
        decode_yolo(np.zeros((1, 5, 9)), ("a", "b"), placement, score_threshold=0.1, iou_threshold=0.5,
                    max_detections=10)


def _white_box_finder(path, size: int = 64) -> None:
    """A YOLOv5-format ONNX model (3 classes) that 'detects' the white rectangle of its input.

    Rows: the rectangle as a person (0.72), a shifted duplicate person (0.56, removed by NMS), the
    same rectangle as an animal (0.63, kept: NMS is class-wise) and one under the threshold (0.04).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    idx = np.arange(size, dtype=np.float32)[None]
    consts = {"idx": idx, "ridx": (size - 1) - idx, "last": np.array([[size - 1]], np.float32),
              "one": np.array([[1]], np.float32), "half": np.array([[0.5]], np.float32),
              "thr": np.array(0.9, np.float32), "shift": np.array([[1, 1, 0, 0]], np.float32),
              "s_person": np.array([[0.9, 0.1, 0.8, 0.1]], np.float32),
              "s_dup": np.array([[0.8, 0.1, 0.7, 0.1]], np.float32),
              "s_animal": np.array([[0.9, 0.7, 0.1, 0.1]], np.float32),
              "s_low": np.array([[0.05, 0.1, 0.8, 0.1]], np.float32)}
    n = helper.make_node
    nodes = [n("ReduceMin", ["images"], ["m"], axes=[1], keepdims=0),
             n("Greater", ["m", "thr"], ["mb"]), n("Cast", ["mb"], ["mask"], to=TensorProto.FLOAT),
             n("ReduceMax", ["mask"], ["rows"], axes=[2], keepdims=0),
             n("ReduceMax", ["mask"], ["cols"], axes=[1], keepdims=0)]
    for axis, prof in (("y", "rows"), ("x", "cols")):
        nodes += [n("Mul", [prof, "idx"], [f"{axis}i"]), n("ReduceMax", [f"{axis}i"], [f"{axis}max"], axes=[1]),
                  n("Mul", [prof, "ridx"], [f"{axis}r"]), n("ReduceMax", [f"{axis}r"], [f"{axis}rm"], axes=[1]),
                  n("Sub", ["last", f"{axis}rm"], [f"{axis}min"]),
                  n("Sub", [f"{axis}max", f"{axis}min"], [f"{axis}d"]), n("Add", [f"{axis}d", "one"], [f"{axis}len"]),
                  n("Add", [f"{axis}max", f"{axis}min"], [f"{axis}s"]), n("Add", [f"{axis}s", "one"], [f"{axis}s1"]),
                  n("Mul", [f"{axis}s1", "half"], [f"{axis}c"])]
    nodes += [n("Concat", ["xc", "yc", "xlen", "ylen"], ["box"], axis=1), n("Add", ["box", "shift"], ["box2"])]
    rows = []
    for name, box in (("s_person", "box"), ("s_dup", "box2"), ("s_animal", "box"), ("s_low", "box")):
        nodes.append(n("Concat", [box, name], [f"r_{name}"], axis=1))
        rows.append(f"r_{name}")
    nodes += [n("Concat", rows, ["all"], axis=0), n("Unsqueeze", ["all", "zero"], ["output"])]
    initializers = [numpy_helper.from_array(v, k) for k, v in consts.items()]
    initializers.append(numpy_helper.from_array(np.array([0], np.int64), "zero"))
    graph = helper.make_graph(nodes, "white_box_finder",
                              [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 4, 8])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, path)


def test_onnx_detector_letterbox_decoding_nms(tmp_path):
    _white_box_finder(tmp_path / "finder.onnx")
    image = np.zeros((500, 1000, 3), dtype=np.uint8)
    image[100:300, 200:400] = 255  # x 0.2..0.4, y 0.2..0.6 of the original image
    detector = onnx_detector(tmp_path / "finder.onnx", input_size=1280, score_threshold=0.1, iou_threshold=0.45)
    assert detector.input_size == (64, 64)  # the model's static size wins over the option
    boxes = detector.detect(image)
    assert [(b.label, round(b.score, 2)) for b in boxes] == [("person", 0.72), ("animal", 0.63)]
    for box in boxes:
        assert (box.x, box.y, box.w, box.h) == pytest.approx((0.2, 0.2, 0.2, 0.4), abs=0.02)
    assert onnx_detector(tmp_path / "finder.onnx", score_threshold=0.65).detect(image)[0].label == "person"
    assert len(onnx_detector(tmp_path / "finder.onnx", score_threshold=0.65).detect(image)) == 1


def test_onnx_detector_errors_in_french(tmp_path):
    with pytest.raises(VisionError, match="introuvable"):
        onnx_detector(tmp_path / "absent.onnx")
    (tmp_path / "junk.onnx").write_bytes(b"junk")
    with pytest.raises(VisionError, match="illisible"):
        onnx_detector(tmp_path / "junk.onnx")


def test_detect_faces_on_a_real_photo():
    """scikit-image's bundled astronaut photo (Eileen Collins, NASA, public domain): one face."""
    skimage_data = pytest.importorskip("skimage.data")
    image = skimage_data.astronaut()
    faces = detect_faces(image)
    assert len(faces) == 1 and faces[0].label == "face" and 0 < faces[0].score <= 1
    # the face is in the upper middle of the picture (about x 0.33-0.55, y 0.05-0.40)
    face = faces[0]
    cx, cy = face.x + face.w / 2, face.y + face.h / 2
    assert 0.3 < cx < 0.6 and 0.05 < cy < 0.4 and 0.08 < face.w < 0.35
    assert detect_faces(np.full((300, 300, 3), 128, np.uint8)) == []
    mirrored = detect_faces(image[:, ::-1])
    assert len(mirrored) == 1 and mirrored[0].x == pytest.approx(1 - face.x - face.w, abs=0.03)
