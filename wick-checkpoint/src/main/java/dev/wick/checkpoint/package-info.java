/**
 * Checkpoint files: PyTorch's {@code torch.save} format ({@link dev.wick.checkpoint.TorchFiles}),
 * safetensors ({@link dev.wick.checkpoint.SafeTensors}) and crash-safe writes
 * ({@link dev.wick.checkpoint.AtomicFiles}).
 *
 * <pre>{@code
 * TorchFiles.save(Map.of("model", stateDict, "epoch", 3), Path.of("ckpt.pt"));
 * Map<?, ?> ckpt = (Map<?, ?>) TorchFiles.load(Path.of("ckpt.pt"));
 * }</pre>
 *
 * <p>NOTE [no code from files]: PyTorch files are pickles, and a pickle can name any Python
 * function to call. Wick never maps such names to Java classes or methods and never uses Java
 * serialization: a small fixed table ({@code TorchArchiveReader}) turns the handful of names a
 * checkpoint needs into Java values, mirroring {@code torch.load(weights_only=True)}; every other
 * name is refused. The parsers work on plain Java values and {@code byte[]}s; only
 * {@code WickTensors} touches {@code dev.wick.tensor}.
 *
 * <p>NOTE [bounded reads]: every length and offset in a file is compared with the real size of the
 * file (or zip entry, or pickle) before anything is allocated, so a 100-byte file cannot make the
 * reader allocate gigabytes. Per-file caps: 1,000,000 zip entries, 256 MiB of central directory,
 * 2 GiB per storage or tensor, a 100,000,000-byte safetensors header, 4M memo entries, 4M stack
 * values and 16M values per pickle, 1000 levels of nesting.
 */
package dev.wick.checkpoint;
