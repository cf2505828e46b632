package dev.wick.nn.models;

import java.util.Arrays;

import dev.wick.nn.AdaptiveAvgPool2d;
import dev.wick.nn.BatchNorm2d;
import dev.wick.nn.Conv2d;
import dev.wick.nn.ConvOptions;
import dev.wick.nn.Linear;
import dev.wick.nn.MaxPool2d;
import dev.wick.nn.Module;
import dev.wick.nn.PoolOptions;
import dev.wick.nn.ReLU;
import dev.wick.nn.Sequential;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.init.Init;
import dev.wick.tensor.Tensor;

/**
 * ResNet-18/34/50 with torchvision's module names and shapes, so its state-dict keys are
 * torchvision's, in the same order ({@code conv1.weight}, {@code bn1.running_mean},
 * {@code layer1.0.conv1.weight}, {@code layer2.0.downsample.0.weight}, ..., {@code fc.bias}) and a
 * torchvision state dict loads strictly.
 *
 * <pre>{@code
 * ResNet net = ResNet.resnet18(10);
 * Tensor logits = net.forward(images);   // (B, 3, 224, 224) -> (B, 10)
 * }</pre>
 *
 * <p>Initialisation mirrors torchvision's: every layer is first built with its default
 * initialisation (drawing from the generator in construction order), then each convolution, in
 * {@link #modules()} order, is re-drawn from Kaiming-normal (fan_out, relu) and each batch norm
 * set to weight 1, bias 0. So after the same {@code manualSeed} the weights equal torchvision's.
 */
public class ResNet extends UnaryModule {
    /** Which residual block a ResNet stacks. */
    public enum Block {
        BASIC(BasicBlock.EXPANSION), BOTTLENECK(Bottleneck.EXPANSION);

        final int expansion;

        Block(int expansion) { this.expansion = expansion; }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private long inplanes = 64;

    /** ResNet-18: basic blocks [2, 2, 2, 2]. */
    public static ResNet resnet18(long numClasses) { return new ResNet(Block.BASIC, new int[]{2, 2, 2, 2}, numClasses, false); }

    /** ResNet-34: basic blocks [3, 4, 6, 3]. */
    public static ResNet resnet34(long numClasses) { return new ResNet(Block.BASIC, new int[]{3, 4, 6, 3}, numClasses, false); }

    /** ResNet-50: bottleneck blocks [3, 4, 6, 3]. */
    public static ResNet resnet50(long numClasses) { return new ResNet(Block.BOTTLENECK, new int[]{3, 4, 6, 3}, numClasses, false); }

    /**
     * @param layers blocks per stage (four stages of 64, 128, 256, 512 planes)
     * @param zeroInitResidual zero the last batch norm's weight of every block, so each starts as identity
     */
    public ResNet(Block block, int[] layers, long numClasses, boolean zeroInitResidual) {
        if (layers.length != 4) throw new IllegalArgumentException("Invalid ResNet layers: " + Arrays.toString(layers) + " (give the block count of 4 stages)");
        for (int n : layers) if (n <= 0) throw new IllegalArgumentException("Invalid ResNet layers: " + Arrays.toString(layers) + " (each must be > 0)");
        if (numClasses <= 0) throw new IllegalArgumentException("Invalid number of classes: " + numClasses + " (must be > 0)");
        conv1 = register("conv1", new Conv2d(3, 64, 7, ConvOptions.defaults().withStride(2).withPadding(3).withBias(false)));
        bn1 = register("bn1", new BatchNorm2d(64));
        relu = register("relu", new ReLU(true));
        maxpool = register("maxpool", new MaxPool2d(3, PoolOptions.defaults().withStride(2).withPadding(1)));
        layer1 = register("layer1", makeLayer(block, 64, layers[0], 1));
        layer2 = register("layer2", makeLayer(block, 128, layers[1], 2));
        layer3 = register("layer3", makeLayer(block, 256, layers[2], 2));
        layer4 = register("layer4", makeLayer(block, 512, layers[3], 2));
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = register("fc", new Linear(512L * block.expansion, numClasses));

        for (Module m : modules()) {
            if (m instanceof Conv2d) {
                Init.kaimingNormal(((Conv2d) m).weight(), 0, Init.FanMode.FAN_OUT, "relu");
            } else if (m instanceof BatchNorm2d) {
                Init.constant(((BatchNorm2d) m).weight(), 1);
                Init.constant(((BatchNorm2d) m).bias(), 0);
            }
        }
        if (zeroInitResidual) {
            for (Module m : modules()) {
                if (m instanceof BasicBlock) Init.zeros(((BasicBlock) m).lastBn().weight());
                else if (m instanceof Bottleneck) Init.zeros(((Bottleneck) m).lastBn().weight());
            }
        }
    }

    private Sequential makeLayer(Block block, long planes, int blocks, long stride) {
        Sequential downsample = null;
        if (stride != 1 || inplanes != planes * block.expansion) {
            downsample = new Sequential(conv1x1(inplanes, planes * block.expansion, stride), new BatchNorm2d(planes * block.expansion));
        }
        Sequential layer = new Sequential();
        layer.add(newBlock(block, inplanes, planes, stride, downsample));
        inplanes = planes * block.expansion;
        for (int i = 1; i < blocks; i++) layer.add(newBlock(block, inplanes, planes, 1, null));
        return layer;
    }

    private static UnaryModule newBlock(Block block, long inplanes, long planes, long stride, Sequential downsample) {
        return block == Block.BASIC ? new BasicBlock(inplanes, planes, stride, downsample) : new Bottleneck(inplanes, planes, stride, downsample);
    }

    /** 3x3 convolution, padding 1, no bias. */
    static Conv2d conv3x3(long in, long out, long stride) {
        return new Conv2d(in, out, 3, ConvOptions.defaults().withStride(stride).withPadding(1).withBias(false));
    }

    /** 1x1 convolution, no bias. */
    static Conv2d conv1x1(long in, long out, long stride) {
        return new Conv2d(in, out, 1, ConvOptions.defaults().withStride(stride).withBias(false));
    }

    public Linear fc() { return fc; }

    @Override
    public Tensor forward(Tensor x) {
        x = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));   // (B, 64, H/4, W/4)
        x = layer1.forward(x);                                             // (B, 64e, H/4, W/4)
        x = layer2.forward(x);                                             // (B, 128e, H/8, W/8)
        x = layer3.forward(x);                                             // (B, 256e, H/16, W/16)
        x = layer4.forward(x);                                             // (B, 512e, H/32, W/32)
        x = avgpool.forward(x).flatten(1, -1);                             // (B, 512e)
        return fc.forward(x);                                              // (B, classes)
    }
}
