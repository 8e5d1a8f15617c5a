"""Shared vision models, run with onnxruntime and never with torch.

Embedded defaults whose weights ship in registry packages (converted once to ONNX in the models
cache, see ``docs/modeles.md``): :func:`embedded_features` (EfficientNet-Lite0, ImageNet,
Apache-2.0) and :func:`embedded_detector` (zamba's one-class YOLOX-tiny camera-trap animal
detector, MIT). Configured models by path: :func:`onnx_detector` (any YOLO-format ONNX, e.g. a
MegaDetector v5 export) and :func:`onnx_features` (e.g. a CLIP image encoder export). Faces:
:func:`detect_faces` (OpenCV Haar cascades). Images: :func:`load_image`.

Importing this package loads neither numpy nor onnxruntime: names are imported on first use.
"""

from ..lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "Box": "types",
    "Detector": "types",
    "FeatureExtractor": "types",
    "VisionError": "types",
    "load_image": "loading",
    "detect_faces": "faces",
    "onnx_detector": "yolo",
    "embedded_detector": "yolox",
    "embedded_features": "efficientnet",
    "onnx_features": "onnxfeatures",
    "models_dir": "cache",
    "install_models": "install",
})
