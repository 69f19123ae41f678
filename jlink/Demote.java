import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModuleRequireInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes one requirement of a compiled module descriptor static, leaving everything else as it is:
 * {@code java Demote.java <module-info.class> <required module>}. The image build uses it for the size decisions in
 * {@code module-overrides.txt}; rewriting the class, instead of recompiling a descriptor, keeps every export intact.
 */
public class Demote {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String demoted = args[1];
        ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
        ModuleAttribute module = model.findAttribute(java.lang.classfile.Attributes.module()).orElseThrow(
                () -> new IllegalArgumentException(file + " is not a module descriptor"));
        boolean[] found = {false};
        List<ModuleRequireInfo> requires = module.requires().stream().map(r -> {
            if (!r.requires().name().stringValue().equals(demoted)) {
                return r;
            }
            found[0] = true;
            return ModuleRequireInfo.of(r.requires(), r.requiresFlagsMask() | ClassFile.ACC_STATIC_PHASE,
                    r.requiresVersion().orElse(null));
        }).toList();
        if (!found[0]) {
            throw new IllegalArgumentException(file + " does not require " + demoted);
        }
        ModuleAttribute rewritten = ModuleAttribute.of(module.moduleName(), module.moduleFlagsMask(),
                module.moduleVersion().orElse(null), requires, module.exports(), module.opens(), module.uses(),
                module.provides());
        byte[] bytes = ClassFile.of().transformClass(model, ClassTransform.dropping(e -> e instanceof ModuleAttribute)
                .andThen(ClassTransform.endHandler(b -> b.with(rewritten))));
        Files.write(file, bytes);
    }
}
