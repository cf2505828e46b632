package dev.wick.nn.models;

import dev.wick.nn.BatchNorm2d;
import dev.wick.nn.Conv2d;
import dev.wick.nn.ReLU;
import dev.wick.nn.Sequential;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * ResNet-50's residual block, as torchvision's {@code Bottleneck} (v1.5: the stride sits on the
 * 3x3 convolution): 1x1 reduce, 3x3, 1x1 expand (x4), each with batch norm, the input (or its
 * {@code downsample}) added before the last ReLU.
 * Children: conv1, bn1, conv2, bn2, conv3, bn3, relu, downsample (when present).
 *
 * <pre>{@code
 * Bottleneck b = new Bottleneck(256, 64, 1, null);   // (B, 256, H, W) -> (B, 256, H, W)
 * }</pre>
 */
public class Bottleneck extends UnaryModule {
    /** Output channels = planes * EXPANSION. */
    public static final int EXPANSION = 4;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final ReLU relu;
    private final Sequential downsample;

    public Bottleneck(long inplanes, long planes, long stride, Sequential downsample) {
        long width = planes;   // groups 1, base width 64
        conv1 = register("conv1", ResNet.conv1x1(inplanes, width, 1));
        bn1 = register("bn1", new BatchNorm2d(width));
        conv2 = register("conv2", ResNet.conv3x3(width, width, stride));
        bn2 = register("bn2", new BatchNorm2d(width));
        conv3 = register("conv3", ResNet.conv1x1(width, planes * EXPANSION, 1));
        bn3 = register("bn3", new BatchNorm2d(planes * EXPANSION));
        relu = register("relu", new ReLU(true));
        this.downsample = downsample == null ? null : register("downsample", downsample);
    }

    BatchNorm2d lastBn() { return bn3; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor identity = downsample == null ? x : downsample.forward(x);
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = relu.forward(bn2.forward(conv2.forward(out)));
        out = bn3.forward(conv3.forward(out));
        out.add_(identity);
        return relu.forward(out);
    }
}
