package dev.wick.nn.models;

import dev.wick.nn.BatchNorm2d;
import dev.wick.nn.Conv2d;
import dev.wick.nn.ReLU;
import dev.wick.nn.Sequential;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * ResNet-18/34's residual block, as torchvision's {@code BasicBlock}: two 3x3 convolutions with
 * batch norm, the input (or its {@code downsample}) added before the last ReLU.
 * Children: conv1, bn1, relu, conv2, bn2, downsample (when present).
 *
 * <pre>{@code
 * BasicBlock b = new BasicBlock(64, 64, 1, null);   // (B, 64, H, W) -> (B, 64, H, W)
 * }</pre>
 */
public class BasicBlock extends UnaryModule {
    /** Output channels = planes * EXPANSION. */
    public static final int EXPANSION = 1;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /** {@code downsample} (or null) maps the input to the output's shape when stride or channels change. */
    public BasicBlock(long inplanes, long planes, long stride, Sequential downsample) {
        conv1 = register("conv1", ResNet.conv3x3(inplanes, planes, stride));
        bn1 = register("bn1", new BatchNorm2d(planes));
        relu = register("relu", new ReLU(true));
        conv2 = register("conv2", ResNet.conv3x3(planes, planes, 1));
        bn2 = register("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : register("downsample", downsample);
    }

    /** The last batch norm (zeroed by {@code zeroInitResidual}). */
    BatchNorm2d lastBn() { return bn2; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor identity = downsample == null ? x : downsample.forward(x);
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = bn2.forward(conv2.forward(out));
        out.add_(identity);
        return relu.forward(out);
    }
}
