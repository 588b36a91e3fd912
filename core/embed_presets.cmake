# Writes a C++ source holding every preset file as a raw string literal.
# Inputs: INPUTS (JSON files separated by |), OUTPUT (the .cpp to write).
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(body "// Generated from resources/presets by core/embed_presets.cmake.\n#include \"builtin_presets.h\"\n\nnamespace manifoldlens::detail {\nconst std::vector<BuiltinPreset>& builtinPresetTable() {\n    static const std::vector<BuiltinPreset> table = {\n")
foreach(file IN LISTS INPUTS)
  get_filename_component(name ${file} NAME_WE)
  file(READ ${file} text)
  string(APPEND body "        {\"${name}\", R\"mlpreset(${text})mlpreset\"},\n")
endforeach()
string(APPEND body "    };\n    return table;\n}\n}  // namespace manifoldlens::detail\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
