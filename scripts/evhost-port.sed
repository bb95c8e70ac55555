# Port evaluator code written against the engine's internals (src/engine/{eval,values,calls,
# funceval}.c before they moved to src/eval/) to the frame context (src/eval/evhost.h):
#   sed -i -f scripts/evhost-port.sed src/eval/*.c
# Mechanical and idempotent; what it does not cover fails to compile (then use evh_* by hand).
s|#include "engine/eval.h"|#include "eval/eval.h"|
s/eng_module_symbols(c->s, /evh_module_symbols(c, /g
s/eng_module_by_id(c->s, /evh_module_by_id(c, /g
s/eng_module_by_iface(c->s, /evh_module_by_iface(c, /g
s/c->s->nmodules/evh_nmodules(c)/g
s/&c->s->modules\[\([a-z_]*\)\]/evh_module_at(c, \1)/g
s/c->s->just_my_code/c->just_my_code/g
s/eng_frame_at(c->s, c->th->t, /evh_frame_at(c, /g
s/eng_where_frame(c->s, /evh_where_frame(c, /g
s/c->th->t\b/c->thread/g
s/c->th->id\b/c->thread_id/g
s/eng_class_name(\([^,()]*\), \([^,()]*\), \([^,()]*\), NULL)/evh_class_name(c, \1, \2, \3)/g
s/\b\(m\|mod\|cd->m\)->user_code\b/evh_module_user_code(c, \1)/g
s/\b\(m\|mod\)->name\b/evh_module_name(c, \1)/g
s/COM(\(m\|mod\|cd->m\)->m, /COM(evh_module_iface(c, \1), /g
s/(\(m\|mod\)->m == /(evh_module_iface(c, \1) == /g
