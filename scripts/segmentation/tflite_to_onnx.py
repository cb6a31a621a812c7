"""Converts MediaPipe's selfie-segmentation model (TFLite) into ONNX that OpenCV 4.6's dnn module reads.

Off-the-shelf converters fail on this model: tflite2onnx rejects HARD_SWISH, and tf2onnx keeps MediaPipe's
custom op Convolution2DTransposeBias, which nothing loads. The graph is small and uses eleven operators,
so this maps each one directly:

  DEQUANTIZE (fp16 weights)      -> fp32 initializers
  CONV_2D / DEPTHWISE_CONV_2D    -> Conv (group = channels for depthwise); TF "SAME" as explicit pads
  AVERAGE_POOL_2D (whole map)    -> GlobalAveragePool
  HARD_SWISH                     -> HardSigmoid(alpha=1/6, beta=1/2) * x   (opset 11; OpenCV 4.6 has no HardSwish
                                    at opset 11, and Clip with min/max inputs does not load there)
  RELU, LOGISTIC, ADD, MUL       -> Relu, Sigmoid, Add, Mul (broadcasting the same in NCHW)
  RESIZE_BILINEAR (half pixel)   -> Resize linear, coordinate_transformation_mode = half_pixel
  Convolution2DTransposeBias     -> ConvTranspose 2x2, stride 2, VALID, with bias

The ONNX graph takes NCHW input named "input" (RGB in [0, 1], 256x256) and gives "mask" (1x1x256x256,
person probability). Usage: python tflite_to_onnx.py MODEL.tflite OUT.onnx
"""
import sys

import numpy as np
import onnx
import tflite
from onnx import TensorProto, helper, numpy_helper

SAME, VALID = 0, 1


def builtin_names():
    return {value: name for name, value in vars(tflite.BuiltinOperator).items() if not name.startswith("_")}


class Converter:
    def __init__(self, data):
        self.model = tflite.Model.GetRootAsModel(data, 0)
        self.graph = self.model.Subgraphs(0)
        names = builtin_names()
        self.codes = []
        for i in range(self.model.OperatorCodesLength()):
            code = self.model.OperatorCodes(i)
            custom = code.CustomCode()
            self.codes.append(custom.decode() if custom else names[max(code.BuiltinCode(), code.DeprecatedBuiltinCode())])
        self.constants = {}  # tensor index -> float32/int32 numpy array
        self.nodes, self.initializers = [], []
        self.counter = 0

    def tensor(self, index):
        return self.graph.Tensors(index)

    def name(self, index):
        return "t%d" % index

    def shape(self, index):
        return self.tensor(index).ShapeAsNumpy().tolist()

    def buffer(self, index, dtype):
        data = self.model.Buffers(self.tensor(index).Buffer()).DataAsNumpy()
        return np.frombuffer(np.asarray(data).tobytes(), dtype=dtype).reshape(self.shape(index))

    def constant(self, index):
        if index not in self.constants:
            kind = self.tensor(index).Type()
            dtype = {tflite.TensorType.FLOAT32: np.float32, tflite.TensorType.FLOAT16: np.float16,
                     tflite.TensorType.INT32: np.int32}[kind]
            self.constants[index] = self.buffer(index, dtype).astype(np.float32 if dtype != np.int32 else np.int32)
        return self.constants[index]

    def initializer(self, array, hint):
        self.counter += 1
        name = "%s_%d" % (hint, self.counter)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op, inputs, outputs, **attributes):
        self.counter += 1
        self.nodes.append(helper.make_node(op, inputs, outputs, name="%s_%d" % (op.lower(), self.counter), **attributes))

    @staticmethod
    def same_pads(size, kernel, stride):
        out = -(-size // stride)
        total = max((out - 1) * stride + kernel - size, 0)
        return total // 2, total - total // 2

    def pads(self, padding, input_shape, kernel_h, kernel_w, stride_h, stride_w):
        if padding == VALID:
            return [0, 0, 0, 0]
        top, bottom = self.same_pads(input_shape[1], kernel_h, stride_h)
        left, right = self.same_pads(input_shape[2], kernel_w, stride_w)
        return [top, left, bottom, right]

    def convert(self):
        g = self.graph
        for i in range(g.OperatorsLength()):
            op = g.Operators(i)
            kind = self.codes[op.OpcodeIndex()]
            inputs, outputs = op.InputsAsNumpy().tolist(), op.OutputsAsNumpy().tolist()
            out = self.name(outputs[0])
            options = op.BuiltinOptions()
            if kind == "DEQUANTIZE":
                self.constants[outputs[0]] = self.buffer(inputs[0], np.float16).astype(np.float32)
            elif kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
                conv = tflite.Conv2DOptions() if kind == "CONV_2D" else tflite.DepthwiseConv2DOptions()
                conv.Init(options.Bytes, options.Pos)
                assert conv.FusedActivationFunction() == 0 and conv.DilationHFactor() == 1
                weights, bias = self.constant(inputs[1]), self.constant(inputs[2])
                channels = self.shape(inputs[0])[3]
                if kind == "CONV_2D":
                    weights, group = weights.transpose(0, 3, 1, 2), 1  # OHWI -> OIHW
                else:
                    assert conv.DepthMultiplier() == 1
                    weights, group = weights.transpose(3, 0, 1, 2), channels  # 1HWC -> C1HW
                kh, kw = weights.shape[2], weights.shape[3]
                self.node("Conv", [self.name(inputs[0]), self.initializer(weights, "w"), self.initializer(bias, "b")], [out],
                          kernel_shape=[kh, kw], strides=[conv.StrideH(), conv.StrideW()], group=group,
                          pads=self.pads(conv.Padding(), self.shape(inputs[0]), kh, kw, conv.StrideH(), conv.StrideW()))
            elif kind == "AVERAGE_POOL_2D":
                pool = tflite.Pool2DOptions()
                pool.Init(options.Bytes, options.Pos)
                _, height, width, _ = self.shape(inputs[0])
                assert (pool.FilterHeight(), pool.FilterWidth()) == (height, width), "only whole-map pooling occurs"
                self.node("GlobalAveragePool", [self.name(inputs[0])], [out])
            elif kind == "HARD_SWISH":
                gate = out + "_gate"
                self.node("HardSigmoid", [self.name(inputs[0])], [gate], alpha=1.0 / 6.0, beta=0.5)
                self.node("Mul", [self.name(inputs[0]), gate], [out])
            elif kind in ("RELU", "LOGISTIC"):
                self.node({"RELU": "Relu", "LOGISTIC": "Sigmoid"}[kind], [self.name(inputs[0])], [out])
            elif kind in ("ADD", "MUL"):
                arithmetic = tflite.AddOptions() if kind == "ADD" else tflite.MulOptions()
                arithmetic.Init(options.Bytes, options.Pos)
                assert arithmetic.FusedActivationFunction() == 0
                self.node(kind.capitalize(), [self.name(inputs[0]), self.name(inputs[1])], [out])
            elif kind == "RESIZE_BILINEAR":
                resize = tflite.ResizeBilinearOptions()
                resize.Init(options.Bytes, options.Pos)
                assert not resize.AlignCorners() and resize.HalfPixelCenters()
                _, height, width, _ = self.shape(inputs[0])
                target = self.constant(inputs[1])
                scales = np.array([1, 1, target[0] / height, target[1] / width], dtype=np.float32)
                self.node("Resize", [self.name(inputs[0]), self.initializer(np.zeros(0, np.float32), "roi"),
                                     self.initializer(scales, "scales")], [out],
                          mode="linear", coordinate_transformation_mode="half_pixel")
            elif kind == "Convolution2DTransposeBias":
                # Options: padding (VALID), stride_w, stride_h as int32s.
                padding, stride_w, stride_h = np.frombuffer(op.CustomOptionsAsNumpy().tobytes(), dtype=np.int32)
                assert padding == VALID
                weights = self.constant(inputs[1]).transpose(3, 0, 1, 2)  # OHWI -> IOHW
                self.node("ConvTranspose", [self.name(inputs[0]), self.initializer(weights, "w"),
                                            self.initializer(self.constant(inputs[2]), "b")], [out],
                          kernel_shape=list(weights.shape[2:]), strides=[int(stride_h), int(stride_w)])
            else:
                raise SystemExit("unsupported operator %s" % kind)

        (input_index,), (output_index,) = g.InputsAsNumpy().tolist(), g.OutputsAsNumpy().tolist()
        _, height, width, channels = self.shape(input_index)
        # TFLite is NHWC and the graph above is NCHW: rename the ends to the public names.
        for node in self.nodes:
            node.input[:] = ["input" if n == self.name(input_index) else n for n in node.input]
            node.output[:] = ["mask" if n == self.name(output_index) else n for n in node.output]
        graph = helper.make_graph(
            self.nodes, "selfie_segmentation",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, channels, height, width])],
            [helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 1, height, width])],
            self.initializers)
        model = helper.make_model(graph, producer_name="headshot-studio tflite_to_onnx", producer_version="1",
                                  opset_imports=[helper.make_opsetid("", 11)])
        model.ir_version = 6
        onnx.checker.check_model(model)
        return model


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as source:
        model = Converter(source.read()).convert()
    with open(sys.argv[2], "wb") as target:
        target.write(model.SerializeToString(deterministic=True))


if __name__ == "__main__":
    main()
