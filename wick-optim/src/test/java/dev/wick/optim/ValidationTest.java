package dev.wick.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.wick.tensor.Tensor;

/** Every invalid option is rejected at construction, with a message naming the option and the value. */
class ValidationTest {
    static final List<Tensor> PARAMS = List.of(Tensor.zeros(2, 3).requiresGrad(true));

    private static void add(List<DynamicTest> out, String expected, Supplier<?> construct) {
        out.add(dynamicTest(expected, () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::get);
            assertEquals(expected, e.getMessage());
        }));
    }

    @TestFactory
    List<DynamicTest> optionsRecordsRejectBadValues() {
        List<DynamicTest> t = new ArrayList<>();
        // SGD
        add(t, "Invalid learning rate: -0.1", () -> SGD.Options.lr(-0.1));
        add(t, "Invalid learning rate: NaN", () -> SGD.Options.lr(Double.NaN));
        add(t, "Invalid momentum value: -0.5", () -> SGD.Options.lr(0.1).withMomentum(-0.5));
        add(t, "Invalid weight_decay value: -1.0E-4", () -> SGD.Options.lr(0.1).withWeightDecay(-1e-4));
        add(t, "Nesterov momentum requires a momentum and zero dampening (momentum=0.0, dampening=0.0)",
                () -> SGD.Options.lr(0.1).withNesterov(true));
        add(t, "Nesterov momentum requires a momentum and zero dampening (momentum=0.9, dampening=0.1)",
                () -> SGD.Options.lr(0.1).withMomentum(0.9).withDampening(0.1).withNesterov(true));
        // Adam and AdamW
        add(t, "Invalid learning rate: -0.001", () -> Adam.Options.lr(-1e-3));
        add(t, "Invalid epsilon value: -1.0E-8", () -> Adam.Options.defaults().withEps(-1e-8));
        add(t, "Invalid beta parameter at index 0: 1.0 (must be in [0, 1))", () -> Adam.Options.defaults().withBetas(1.0, 0.999));
        add(t, "Invalid beta parameter at index 1: -0.1 (must be in [0, 1))", () -> Adam.Options.defaults().withBetas(0.9, -0.1));
        add(t, "Invalid weight_decay value: -0.01", () -> Adam.Options.defaults().withWeightDecay(-0.01));
        add(t, "Invalid learning rate: -1.0", () -> AdamW.Options.lr(-1));
        add(t, "Invalid epsilon value: -1.0", () -> AdamW.Options.defaults().withEps(-1));
        add(t, "Invalid beta parameter at index 0: NaN (must be in [0, 1))", () -> AdamW.Options.defaults().withBetas(Double.NaN, 0.9));
        add(t, "Invalid weight_decay value: -0.01", () -> AdamW.Options.defaults().withWeightDecay(-0.01));
        // RMSprop
        add(t, "Invalid learning rate: -0.01", () -> RMSprop.Options.lr(-0.01));
        add(t, "Invalid epsilon value: -1.0", () -> RMSprop.Options.defaults().withEps(-1));
        add(t, "Invalid momentum value: -0.9", () -> RMSprop.Options.defaults().withMomentum(-0.9));
        add(t, "Invalid weight_decay value: -1.0", () -> RMSprop.Options.defaults().withWeightDecay(-1));
        add(t, "Invalid alpha value: -0.99", () -> RMSprop.Options.defaults().withAlpha(-0.99));
        // Adagrad
        add(t, "Invalid learning rate: -0.01", () -> Adagrad.Options.lr(-0.01));
        add(t, "Invalid lr_decay value: -0.1", () -> Adagrad.Options.defaults().withLrDecay(-0.1));
        add(t, "Invalid weight_decay value: -0.1", () -> Adagrad.Options.defaults().withWeightDecay(-0.1));
        add(t, "Invalid initial_accumulator_value value: -0.1", () -> Adagrad.Options.defaults().withInitialAccumulatorValue(-0.1));
        add(t, "Invalid epsilon value: -1.0E-10", () -> Adagrad.Options.defaults().withEps(-1e-10));
        // Adadelta
        add(t, "Invalid learning rate: -1.0", () -> Adadelta.Options.lr(-1));
        add(t, "Invalid rho value: 1.1 (must be in [0, 1])", () -> Adadelta.Options.defaults().withRho(1.1));
        add(t, "Invalid epsilon value: -1.0E-6", () -> Adadelta.Options.defaults().withEps(-1e-6));
        add(t, "Invalid weight_decay value: -1.0", () -> Adadelta.Options.defaults().withWeightDecay(-1));
        // Adamax
        add(t, "Invalid learning rate: -0.002", () -> Adamax.Options.lr(-2e-3));
        add(t, "Invalid epsilon value: -1.0", () -> Adamax.Options.defaults().withEps(-1));
        add(t, "Invalid beta parameter at index 1: 1.0 (must be in [0, 1))", () -> Adamax.Options.defaults().withBetas(0.9, 1.0));
        add(t, "Invalid weight_decay value: -1.0", () -> Adamax.Options.defaults().withWeightDecay(-1));
        // NAdam
        add(t, "Invalid learning rate: -0.002", () -> NAdam.Options.lr(-2e-3));
        add(t, "Invalid epsilon value: -1.0", () -> NAdam.Options.defaults().withEps(-1));
        add(t, "Invalid beta parameter at index 0: -0.9 (must be in [0, 1))", () -> NAdam.Options.defaults().withBetas(-0.9, 0.999));
        add(t, "Invalid weight_decay value: -1.0", () -> NAdam.Options.defaults().withWeightDecay(-1));
        add(t, "Invalid momentum_decay value: -0.004", () -> NAdam.Options.defaults().withMomentumDecay(-0.004));
        // RAdam
        add(t, "Invalid learning rate: -0.001", () -> RAdam.Options.lr(-1e-3));
        add(t, "Invalid epsilon value: -1.0", () -> RAdam.Options.defaults().withEps(-1));
        add(t, "Invalid beta parameter at index 1: 1.5 (must be in [0, 1))", () -> RAdam.Options.defaults().withBetas(0.9, 1.5));
        add(t, "Invalid weight_decay value: -1.0", () -> RAdam.Options.defaults().withWeightDecay(-1));
        // LBFGS
        add(t, "Invalid learning rate: -1.0", () -> LBFGS.Options.lr(-1));
        add(t, "Invalid max_iter value: 0 (must be >= 1)", () -> LBFGS.Options.defaults().withMaxIter(0));
        add(t, "Invalid max_eval value: 0 (must be >= 1)", () -> LBFGS.Options.defaults().withMaxEval(0L));
        add(t, "Invalid tolerance_grad value: -1.0", () -> LBFGS.Options.defaults().withToleranceGrad(-1));
        add(t, "Invalid tolerance_change value: -1.0", () -> LBFGS.Options.defaults().withToleranceChange(-1));
        add(t, "Invalid history_size value: 0 (must be >= 1)", () -> LBFGS.Options.defaults().withHistorySize(0));
        add(t, "Invalid line_search_fn: 'armijo' (only 'strong_wolfe' or None is supported)",
                () -> LBFGS.Options.defaults().withLineSearchFn("armijo"));
        return t;
    }

    @TestFactory
    List<DynamicTest> groupOptionsAreValidatedWhenTheGroupIsAdded() {
        List<DynamicTest> t = new ArrayList<>();
        add(t, "Invalid learning rate: -0.1", () -> new SGD(List.of(ParamGroup.of(PARAMS).lr(-0.1)), SGD.Options.lr(0.1)));
        add(t, "Invalid weight_decay value: -0.5", () -> new AdamW(List.of(ParamGroup.of(PARAMS).weightDecay(-0.5)), AdamW.Options.defaults()));
        add(t, "Invalid beta parameter at index 0: 2.0 (must be in [0, 1))",
                () -> new Adam(List.of(ParamGroup.of(PARAMS).with("betas", List.of(2, 0.9))), Adam.Options.defaults()));
        add(t, "Invalid betas: [0.9] (a list of 1), expected a list of two numbers (beta1, beta2)",
                () -> new Adam(List.of(ParamGroup.of(PARAMS).with("betas", List.of(0.9))), Adam.Options.defaults()));
        add(t, "Invalid lr: fast (a string), expected a number", () -> new SGD(List.of(ParamGroup.of(PARAMS).with("lr", "fast")), SGD.Options.lr(0.1)));
        add(t, "Invalid nesterov: 1 (an integer), expected a boolean", () -> new SGD(List.of(ParamGroup.of(PARAMS).with("nesterov", 1)), SGD.Options.lr(0.1)));
        add(t, "Nesterov momentum requires a momentum and zero dampening (momentum=0.0, dampening=0.0)",
                () -> new SGD(List.of(ParamGroup.of(PARAMS).with("momentum", 0.0)), SGD.Options.lr(0.1).withMomentum(0.9).withNesterov(true)));
        add(t, "Invalid rho value: -0.5 (must be in [0, 1])", () -> new Adadelta(List.of(ParamGroup.of(PARAMS).with("rho", -0.5)), Adadelta.Options.defaults()));
        add(t, "Unsupported option capturable=True: Wick's optimizers have no capturable mode",
                () -> new Adam(List.of(ParamGroup.of(PARAMS).with("capturable", true)), Adam.Options.defaults()));
        add(t, "Unsupported option differentiable=True: Wick's optimizers have no differentiable mode",
                () -> new SGD(List.of(ParamGroup.of(PARAMS).with("differentiable", true)), SGD.Options.lr(0.1)));
        add(t, "Invalid foreach: yes (a string), expected None or a boolean",
                () -> new RMSprop(List.of(ParamGroup.of(PARAMS).with("foreach", "yes")), RMSprop.Options.defaults()));
        return t;
    }

    @Test
    void aLoadedStateDictWithABadOptionIsRejectedNamingTheGroup() {
        SGD opt = new SGD(PARAMS, SGD.Options.lr(0.1));
        Map<String, Object> sd = opt.stateDict();
        @SuppressWarnings("unchecked")
        Map<String, Object> g0 = (Map<String, Object>) ((List<Object>) sd.get("param_groups")).get(0);
        g0.put("lr", -0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
        assertEquals("param_groups[0] of the loaded state dict: Invalid learning rate: -0.1", e.getMessage());
        assertEquals(0.1, opt.paramGroups().get(0).lr(), "a failed load changes nothing");
    }
}
