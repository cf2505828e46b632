/**
 * Tensor-level transforms of images {@code [..., C, H, W]} (torchvision's names): {@link
 * dev.wick.data.transforms.Compose}, {@link dev.wick.data.transforms.Lambda}, {@link
 * dev.wick.data.transforms.ToFloat}, {@link dev.wick.data.transforms.Normalize}, {@link
 * dev.wick.data.transforms.RandomCrop}, {@link dev.wick.data.transforms.RandomHorizontalFlip}, {@link
 * dev.wick.data.transforms.RandomVerticalFlip}, {@link dev.wick.data.transforms.CenterCrop}, and the
 * fused {@link dev.wick.data.transforms.CropFlipNormalize}. Image decoding and resizing live in
 * {@code dev.wick.vision}.
 *
 * <pre>{@code
 * Compose<Tensor> train = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5),
 *         new ToFloat(), new Normalize(new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26}));
 * }</pre>
 *
 * <p>Random transforms implement {@link dev.wick.data.transforms.RandomTransform} and draw from the
 * sample's {@link dev.wick.data.SampleRandom}, so augmentation does not depend on the number of
 * workers. Each documents the draws it makes, in order.
 */
package dev.wick.data.transforms;
