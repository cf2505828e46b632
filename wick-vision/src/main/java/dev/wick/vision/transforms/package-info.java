/**
 * Image transforms on {@code [..., C, H, W]} tensors (float in [0, 1] or uint8), as torchvision 0.14's
 * tensor transforms. This package holds the image-specific ones; the general ones live in
 * {@code dev.wick.data.transforms} and combine with these directly:
 *
 * <table>
 *   <caption>Where torchvision's transforms are</caption>
 *   <tr><th>torchvision</th><th>Wick</th></tr>
 *   <tr><td>{@code ToTensor}</td><td>{@link dev.wick.vision.transforms.ToTensor}</td></tr>
 *   <tr><td>{@code Resize}</td><td>{@link dev.wick.vision.transforms.Resize}</td></tr>
 *   <tr><td>{@code RandomResizedCrop}</td><td>{@link dev.wick.vision.transforms.RandomResizedCrop}</td></tr>
 *   <tr><td>{@code ColorJitter} (brightness, contrast)</td><td>{@link dev.wick.vision.transforms.ColorJitter}</td></tr>
 *   <tr><td>{@code transforms.functional}</td><td>{@link dev.wick.vision.transforms.Functional}</td></tr>
 *   <tr><td>{@code Normalize}, {@code RandomCrop}, {@code CenterCrop}, {@code RandomHorizontalFlip},
 *           {@code Compose}, {@code Lambda}</td><td>{@code dev.wick.data.transforms}</td></tr>
 * </table>
 *
 * <pre>{@code
 * Transform<Tensor, Tensor> train = Compose.of(
 *         new RandomResizedCrop(224), new RandomHorizontalFlip(0.5), new ColorJitter(0.4, 0.4),
 *         new Normalize(new double[]{0.485, 0.456, 0.406}, new double[]{0.229, 0.224, 0.225}));
 * var ds = new ImageFolder(Path.of("data/train"), train);
 * }</pre>
 *
 * <p>Random transforms draw from the data loader's per-sample stream
 * ({@code dev.wick.data.SampleRandom}), so an epoch's augmentations do not depend on the number of
 * workers; each also accepts a libtorch {@code Generator} that reproduces torchvision's draws exactly.
 */
package dev.wick.vision.transforms;
