package dev.wick.data;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/** Reads and builds records by their components (cached per class), for collate and batch walks. */
final class Records {
    private Records() {}

    record Shape(String[] names, Class<?>[] types, MethodHandle[] accessors, MethodHandle constructor) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override protected Shape computeValue(Class<?> c) {
            RecordComponent[] rc = c.getRecordComponents();
            String[] names = new String[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            MethodHandle[] acc = new MethodHandle[rc.length];
            try {
                for (int i = 0; i < rc.length; i++) {
                    names[i] = rc[i].getName();
                    types[i] = rc[i].getType();
                    var m = rc[i].getAccessor();
                    m.setAccessible(true);
                    acc[i] = MethodHandles.lookup().unreflect(m);
                }
                Constructor<?> k = c.getDeclaredConstructor(types);
                k.setAccessible(true);
                return new Shape(names, types, acc, MethodHandles.lookup().unreflectConstructor(k));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot access the components of record " + c.getName() + ": " + e, e);
            }
        }
    };

    static Shape shape(Class<?> recordClass) { return SHAPES.get(recordClass); }

    static Object component(Shape s, int i, Object record) {
        try {
            return s.accessors()[i].invoke(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static Object build(Class<?> c, Shape s, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            Class<?> t = s.types()[i];
            Object v = values[i];
            boolean fits = t.isPrimitive() ? false : (v == null || t.isInstance(v));
            if (!fits) {
                throw new IllegalArgumentException("defaultCollate: record " + c.getSimpleName() + "'s component '" + s.names()[i]
                        + "' has type " + t.getSimpleName() + ", which cannot hold the collated value (" + v.getClass().getSimpleName()
                        + "); give the record generic or Object components, or pass a collateFn");
            }
        }
        try {
            return s.constructor().invokeWithArguments(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
