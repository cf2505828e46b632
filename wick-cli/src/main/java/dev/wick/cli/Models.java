package dev.wick.cli;

import dev.wick.nn.UnaryModule;
import dev.wick.nn.models.LeNet5;
import dev.wick.nn.models.Mlp;
import dev.wick.nn.models.ResNet;
import dev.wick.nn.models.SimpleClassifier;
import dev.wick.tensor.Tensor;

/**
 * The networks a config can name ({@code model.name}), for 28x28 grey-scale images.
 *
 * <pre>{@code
 * UnaryModule net = Models.build(cfg.model(), 10);   // (B, 1, 28, 28) -> (B, 10)
 * }</pre>
 */
final class Models {
    private Models() {}

    static UnaryModule build(RunConfig.Model m, int numClasses) {
        return switch (m.name()) {
            case "simple_classifier" -> {
                if (numClasses != 10) throw new ConfigException("model.name", "simple_classifier has 10 outputs, the data set has " + numClasses + " classes");
                yield new SimpleClassifier();
            }
            case "mlp" -> new Mlp(28 * 28, m.hidden(), numClasses);
            case "lenet5" -> new LeNet5(numClasses);
            case "resnet18" -> new GreyResNet18(numClasses);
            default -> throw new ConfigException("model.name", "unknown model '" + m.name() + "'");
        };
    }

    /**
     * torchvision's resnet18 layout (its state-dict keys unchanged) fed grey-scale images: the single
     * channel is repeated to the three the stem expects, as torchvision's {@code Grayscale(3)} would.
     */
    static final class GreyResNet18 extends ResNet {
        GreyResNet18(long numClasses) { super(Block.BASIC, new int[] {2, 2, 2, 2}, numClasses, false); }

        @Override
        public Tensor forward(Tensor x) {
            return super.forward(x.expand(-1, 3, -1, -1));   // (B, 1, H, W) -> (B, 3, H, W)
        }
    }
}
