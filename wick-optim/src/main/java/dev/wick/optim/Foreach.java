package dev.wick.optim;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.TensorType;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Type;

import dev.wick.tensor.Engine;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * libtorch's multi-tensor kernels ({@code aten::_foreach_*}, {@code aten::_fused_*}), which the
 * JavaCPP presets do not map as methods, called through the dispatcher's boxed interface: one native
 * call updates a whole list of tensors.
 *
 * <p>Arguments are passed as Java values and converted to {@code IValue}s: a {@code List} of Wick
 * tensors or of native tensors becomes a {@code Tensor[]}, a {@code Double} a float/Scalar, a
 * {@code Long} an int, a {@code Boolean} a bool, a {@link Tensor} a tensor, {@code null} None.
 *
 * <p>NOTE [dispatcher]: {@code findSchemaOrThrow} returns a handle that stays valid for the life of
 * the process, so each operator is looked up once and cached in a static field.
 */
final class Foreach {
    static { Engine.init(); }
    private Foreach() {}

    private static OperatorHandle op(String name, String overload) {
        try {
            return Dispatcher.singleton().findSchemaOrThrow("aten::" + name, overload);
        } catch (RuntimeException e) {
            throw TorchException.from(e, "lookup of aten::" + name + "." + overload);
        }
    }

    // in-place, Tensor[] self first
    static final OperatorHandle ADD_LIST_ = op("_foreach_add_", "List");          // (self, other, *, alpha=1)
    static final OperatorHandle ADD_SCALAR_ = op("_foreach_add_", "Scalar");      // (self, scalar)
    static final OperatorHandle SUB_LIST_ = op("_foreach_sub_", "List");          // (self, other, *, alpha=1)
    static final OperatorHandle MUL_SCALAR_ = op("_foreach_mul_", "Scalar");      // (self, scalar)
    static final OperatorHandle MUL_TENSOR_ = op("_foreach_mul_", "Tensor");      // (self, Tensor other)
    static final OperatorHandle MUL_LIST_ = op("_foreach_mul_", "List");          // (self, other)
    static final OperatorHandle DIV_LIST_ = op("_foreach_div_", "List");          // (self, other)
    static final OperatorHandle DIV_SCALAR_ = op("_foreach_div_", "Scalar");      // (self, scalar)
    static final OperatorHandle ADDCMUL_ = op("_foreach_addcmul_", "Scalar");     // (self, t1, t2, value=1)
    static final OperatorHandle ADDCDIV_ = op("_foreach_addcdiv_", "Scalar");     // (self, t1, t2, value=1)
    static final OperatorHandle LERP_ = op("_foreach_lerp_", "Scalar");           // (self, end, weight)
    static final OperatorHandle SQRT_ = op("_foreach_sqrt_", "");
    static final OperatorHandle NEG_ = op("_foreach_neg_", "");
    static final OperatorHandle RECIPROCAL_ = op("_foreach_reciprocal_", "");
    static final OperatorHandle MAXIMUM_LIST_ = op("_foreach_maximum_", "List");
    static final OperatorHandle ZERO_ = op("_foreach_zero_", "");
    static final OperatorHandle COPY_ = op("_foreach_copy_", "");                 // (self, src, non_blocking=False)
    static final OperatorHandle CLAMP_MIN_ = op("_foreach_clamp_min_", "Scalar");
    static final OperatorHandle CLAMP_MAX_ = op("_foreach_clamp_max_", "Scalar");
    // out of place, return Tensor[]
    static final OperatorHandle ADD_LIST = op("_foreach_add", "List");
    static final OperatorHandle ADD_SCALAR = op("_foreach_add", "Scalar");
    static final OperatorHandle ADDCMUL = op("_foreach_addcmul", "Scalar");      // (self, t1, t2, value=1)
    static final OperatorHandle MUL_SCALAR = op("_foreach_mul", "Scalar");
    static final OperatorHandle MUL_LIST = op("_foreach_mul", "List");
    static final OperatorHandle DIV_SCALAR = op("_foreach_div", "Scalar");
    static final OperatorHandle SQRT = op("_foreach_sqrt", "");
    static final OperatorHandle ABS = op("_foreach_abs", "");
    static final OperatorHandle NEG = op("_foreach_neg", "");
    static final OperatorHandle NORM = op("_foreach_norm", "Scalar");             // (self, ord=2, dtype=None)
    static final OperatorHandle MAX = op("_foreach_max", "");
    // fused optimizer kernels (CPU kernels exist in libtorch 2.10)
    static final OperatorHandle FUSED_ADAM_ = op("_fused_adam_", "");
    static final OperatorHandle FUSED_ADAMW_ = op("_fused_adamw_", "");
    static final OperatorHandle FUSED_SGD_ = op("_fused_sgd_", "");
    static final OperatorHandle FUSED_ADAGRAD_ = op("_fused_adagrad_", "");

    /** The argument names of an operator's schema (the boxed calls pass arguments by position). */
    static List<String> argumentNames(OperatorHandle op) {
        org.bytedeco.pytorch.Argument args = op.schema().arguments();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < args.limit(); i++) out.add(args.getPointer(i).name().getString());
        return out;
    }

    /** Calls an in-place op (no result). */
    static void call(String name, OperatorHandle op, Object... args) {
        try (IValueVector stack = stack(args)) {
            op.callBoxed(stack);
        } catch (RuntimeException e) {
            throw TorchException.from(e, name);
        }
    }

    /** Calls an op returning {@code Tensor[]}; the results are owned by the current scope. */
    static List<Tensor> callList(String name, OperatorHandle op, Object... args) {
        try (IValueVector stack = stack(args)) {
            op.callBoxed(stack);
            try (TensorVector v = stack.get(0).toTensorVector()) {
                List<Tensor> out = new ArrayList<>((int) v.size());
                for (long i = 0; i < v.size(); i++) out.add(Tensor.wrap(new org.bytedeco.pytorch.Tensor(v.get(i))));
                return out;
            }
        } catch (RuntimeException e) {
            throw TorchException.from(e, name);
        }
    }

    private static IValueVector stack(Object[] args) {
        IValue[] ivs = new IValue[args.length];
        try {
            for (int i = 0; i < args.length; i++) ivs[i] = toIValue(args[i]);
            return new IValueVector(ivs);
        } finally {
            for (IValue v : ivs) if (v != null) v.close();
        }
    }

    private static IValue toIValue(Object a) {
        if (a == null) return new IValue();
        if (a instanceof Double d) return new IValue(d.doubleValue());
        if (a instanceof Long l) return new IValue(l.longValue());
        if (a instanceof Boolean b) return new IValue(b.booleanValue());
        if (a instanceof Tensor t) return new IValue(t.unwrap());
        if (a instanceof org.bytedeco.pytorch.Tensor t) return new IValue(t);
        if (a instanceof List<?> l) return tensorList(l);
        throw new IllegalArgumentException("Foreach: unsupported argument " + a.getClass());
    }

    private static final Type.TypePtr TENSOR_TYPE = new Type.TypePtr(TensorType.get());

    private static IValue tensorList(List<?> ts) {
        try (GenericList list = new GenericList(TENSOR_TYPE)) {
            list.reserve(ts.size());
            for (Object o : ts) {
                org.bytedeco.pytorch.Tensor t = o instanceof Tensor w ? w.unwrap() : (org.bytedeco.pytorch.Tensor) o;
                try (IValue iv = new IValue(t)) { list.push_back(iv); }
            }
            return new IValue(list);
        }
    }

    // ------------------------------------------------------------------ typed helpers

    static void zero_(List<?> self) { call("_foreach_zero_", ZERO_, self); }
    static void addScalar_(List<?> self, double v) { call("_foreach_add_", ADD_SCALAR_, self, v); }
    static void add_(List<?> self, List<?> other, double alpha) { call("_foreach_add_", ADD_LIST_, self, other, alpha); }
    static void mul_(List<?> self, double v) { call("_foreach_mul_", MUL_SCALAR_, self, v); }
    static void mul_(List<?> self, Tensor v) { call("_foreach_mul_", MUL_TENSOR_, self, v); }
    static void mulList_(List<?> self, List<?> other) { call("_foreach_mul_", MUL_LIST_, self, other); }
    static void divList_(List<?> self, List<?> other) { call("_foreach_div_", DIV_LIST_, self, other); }
    static void div_(List<?> self, double v) { call("_foreach_div_", DIV_SCALAR_, self, v); }
    static void addcmul_(List<?> self, List<?> t1, List<?> t2, double value) { call("_foreach_addcmul_", ADDCMUL_, self, t1, t2, value); }
    static void addcdiv_(List<?> self, List<?> t1, List<?> t2, double value) { call("_foreach_addcdiv_", ADDCDIV_, self, t1, t2, value); }
    static void lerp_(List<?> self, List<?> end, double weight) { call("_foreach_lerp_", LERP_, self, end, weight); }
    static void sqrt_(List<?> self) { call("_foreach_sqrt_", SQRT_, self); }
    static void neg_(List<?> self) { call("_foreach_neg_", NEG_, self); }
    static void reciprocal_(List<?> self) { call("_foreach_reciprocal_", RECIPROCAL_, self); }
    static void maximum_(List<?> self, List<?> other) { call("_foreach_maximum_", MAXIMUM_LIST_, self, other); }
    static void copy_(List<?> self, List<?> src) { call("_foreach_copy_", COPY_, self, src, false); }
    static void clampMin_(List<?> self, double v) { call("_foreach_clamp_min_", CLAMP_MIN_, self, v); }
    static void clampMax_(List<?> self, double v) { call("_foreach_clamp_max_", CLAMP_MAX_, self, v); }

    static List<Tensor> add(List<?> self, List<?> other, double alpha) { return callList("_foreach_add", ADD_LIST, self, other, alpha); }
    static List<Tensor> addScalar(List<?> self, double v) { return callList("_foreach_add", ADD_SCALAR, self, v); }
    static List<Tensor> addcmul(List<?> self, List<?> t1, List<?> t2, double value) { return callList("_foreach_addcmul", ADDCMUL, self, t1, t2, value); }
    static List<Tensor> mul(List<?> self, double v) { return callList("_foreach_mul", MUL_SCALAR, self, v); }
    static List<Tensor> mulList(List<?> self, List<?> other) { return callList("_foreach_mul", MUL_LIST, self, other); }
    static List<Tensor> div(List<?> self, double v) { return callList("_foreach_div", DIV_SCALAR, self, v); }
    static List<Tensor> sqrt(List<?> self) { return callList("_foreach_sqrt", SQRT, self); }
    static List<Tensor> abs(List<?> self) { return callList("_foreach_abs", ABS, self); }
    static List<Tensor> neg(List<?> self) { return callList("_foreach_neg", NEG, self); }
    static List<Tensor> norm(List<?> self, double ord) { return callList("_foreach_norm", NORM, self, ord, null); }
    static List<Tensor> max(List<?> self) { return callList("_foreach_max", MAX, self); }
}
