/**
 * Image data sets: the IDX format ({@link dev.wick.vision.Idx}), {@link dev.wick.vision.FashionMNIST}
 * (bundled, so it works offline) and {@link dev.wick.vision.MNIST}, checksummed downloads
 * ({@link dev.wick.vision.Download}), class-per-folder images ({@link dev.wick.vision.ImageFolder}) and
 * image decoding ({@link dev.wick.vision.Images}). Image transforms are in
 * {@link dev.wick.vision.transforms}.
 *
 * <pre>{@code
 * var train = FashionMNIST.builder().train(true)
 *         .transform(new Normalize(new double[]{FashionMNIST.MEAN}, new double[]{FashionMNIST.STD}))
 *         .build();
 * var loader = DataLoader.builder(train).batchSize(128).shuffle(true).build();
 * }</pre>
 */
package dev.wick.vision;
