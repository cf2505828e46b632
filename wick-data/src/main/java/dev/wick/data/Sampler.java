package dev.wick.data;

/**
 * Chooses the order in which a {@link DataLoader} reads a map-style data set, as PyTorch's
 * {@code Sampler}: an index sampler is a {@code Sampler<Integer>}, a batch sampler a
 * {@code Sampler<List<Integer>>}. Write your own by implementing {@link #iterator()} and {@link #size()}.
 *
 * <pre>{@code
 * Sampler<Integer> evensFirst = new Sampler<>() {
 *     public Iterator<Integer> iterator() {
 *         return IntStream.concat(IntStream.range(0, n).filter(i -> i % 2 == 0),
 *                                 IntStream.range(0, n).filter(i -> i % 2 == 1)).iterator();
 *     }
 *     public int size() { return n; }
 * };
 * var loader = DataLoader.builder(ds).sampler(evensFirst).batchSize(32).build();
 * }</pre>
 *
 * <p>Lifecycle: the loader calls {@link #iterator()} once per epoch, on the thread that iterates the
 * loader; a sampler that draws random numbers draws them from that iterator, in the order it yields.
 *
 * @param <I> what one step yields: an index, or a list of indices for a batch sampler
 */
public interface Sampler<I> extends Iterable<I> {

    /** How many items one full iteration yields ({@code __len__}). */
    int size();
}
