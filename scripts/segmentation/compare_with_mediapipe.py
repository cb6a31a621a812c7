"""Compares the converted ONNX model, run by OpenCV's dnn, with MediaPipe's own selfie segmentation.

A one-off check, not part of setup or the tests (MediaPipe is not needed to run the service):
    python3 -m venv /tmp/mp && /tmp/mp/bin/pip install mediapipe==0.10.14 opencv-contrib-python-headless
    /tmp/mp/bin/python scripts/segmentation/compare_with_mediapipe.py models/selfie_segmentation.onnx PHOTO...
Prints the IoU of the two masks thresholded at 0.5, and their mean absolute difference.
"""
import sys, numpy as np, cv2, mediapipe as mp, subprocess, json
seg = mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0)
net = cv2.dnn.readNetFromONNX(sys.argv[1])
for path in sys.argv[2:]:
    bgr = cv2.imread(path); rgb = bgr[:, :, ::-1].copy()
    ref = seg.process(rgb).segmentation_mask
    small = cv2.resize(rgb, (256, 256), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0
    net.setInput(small.transpose(2, 0, 1)[None])
    ours = cv2.resize(net.forward()[0, 0], (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_LINEAR)
    a, b = ref > 0.5, ours > 0.5
    print("%-40s IoU %.4f  mean |diff| %.4f" % (path.split('/')[-2] + '/' + path.split('/')[-1], (a & b).sum() / max((a | b).sum(), 1), np.abs(ref - ours).mean()))
