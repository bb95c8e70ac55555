// test_cordebug_abi.c — pins the ABI of cordbg's ICorDebug declarations: vtable slot indices
// and sizes (counted by hand in dotnet/runtime cordebug.idl and cor.h: IUnknown is slots 0-2,
// then each base interface, then the interface's own methods), type sizes of the Linux PAL,
// struct layouts, HRESULT values, and the IID helpers.
#include <stddef.h>
#include <stdint.h>

#include "clr/cordebug.h"
#include "unit.h"

// 0-based vtable slot of a method, and number of slots of an interface.
#define SLOT(iface, method) (offsetof(iface##Vtbl, method) / sizeof(void *))
#define SLOTS(iface)        (sizeof(iface##Vtbl) / sizeof(void *))

TEST(pal_type_sizes) {
    CHECK_EQ_INT(sizeof(WCHAR), 2);
    CHECK_EQ_INT(sizeof(BOOL), 4);
    CHECK_EQ_INT(sizeof(HRESULT), 4);
    CHECK_EQ_INT(sizeof(ULONG), 4);
    CHECK_EQ_INT(sizeof(LONG), 4);
    CHECK_EQ_INT(sizeof(DWORD), 4);
    CHECK_EQ_INT(sizeof(ULONG32), 4);
    CHECK_EQ_INT(sizeof(UINT), 4);
    CHECK_EQ_INT(sizeof(ULONG64), 8);
    CHECK_EQ_INT(sizeof(SIZE_T), 8);
    CHECK_EQ_INT(sizeof(UINT_PTR), 8);
    CHECK_EQ_INT(sizeof(CORDB_ADDRESS), 8);
    CHECK_EQ_INT(sizeof(CORDB_REGISTER), 8);
    CHECK_EQ_INT(sizeof(TASKID), 8);
    CHECK_EQ_INT(sizeof(CONNID), 4);
    CHECK_EQ_INT(sizeof(mdToken), 4);
    CHECK_EQ_INT(sizeof(mdMethodDef), 4);
    CHECK_EQ_INT(sizeof(CorElementType), 4);
    CHECK_EQ_INT(sizeof(CorDebugStepReason), 4);
    CHECK_EQ_INT(sizeof(CorDebugExceptionCallbackType), 4);
    CHECK_EQ_INT(sizeof(GUID), 16);
    CHECK_EQ_INT(sizeof(REFIID), sizeof(void *));
    CHECK_EQ_INT(sizeof(HCORENUM), 8);
}

TEST(struct_layouts) {
    CHECK_EQ_INT(sizeof(COR_DEBUG_STEP_RANGE), 8);
    CHECK_EQ_INT(offsetof(COR_DEBUG_STEP_RANGE, endOffset), 4);
    CHECK_EQ_INT(sizeof(COR_DEBUG_IL_TO_NATIVE_MAP), 12);
    CHECK_EQ_INT(offsetof(COR_DEBUG_IL_TO_NATIVE_MAP, nativeEndOffset), 8);
    CHECK_EQ_INT(sizeof(COR_IL_MAP), 12);
    CHECK_EQ_INT(sizeof(COR_VERSION), 16);
    CHECK_EQ_INT(sizeof(COR_TYPEID), 16);
    CHECK_EQ_INT(sizeof(CodeChunkInfo), 16);
    CHECK_EQ_INT(offsetof(CodeChunkInfo, length), 8);
    CHECK_EQ_INT(sizeof(CorDebugEHClause), 28);
    CHECK_EQ_INT(sizeof(COR_ACTIVE_FUNCTION), 32);
    CHECK_EQ_INT(offsetof(COR_ACTIVE_FUNCTION, ilOffset), 24);
    CHECK_EQ_INT(sizeof(COR_HEAPOBJECT), 32);
    CHECK_EQ_INT(sizeof(COR_SEGMENT), 24);
    CHECK_EQ_INT(sizeof(COR_HEAPINFO), 20);
    CHECK_EQ_INT(sizeof(COR_GC_REFERENCE), 32);
    CHECK_EQ_INT(offsetof(COR_GC_REFERENCE, ExtraData), 24);
    CHECK_EQ_INT(sizeof(COR_ARRAY_LAYOUT), 48);
    CHECK_EQ_INT(sizeof(COR_TYPE_LAYOUT), 32);
    CHECK_EQ_INT(sizeof(COR_FIELD), 32);
    CHECK_EQ_INT(offsetof(COR_FIELD, id), 8);
    CHECK_EQ_INT(sizeof(COR_MEMORY_RANGE), 16);
    CHECK_EQ_INT(sizeof(CorDebugBlockingObject), 16);
    CHECK_EQ_INT(sizeof(CorDebugExceptionObjectStackFrame), 24);
    CHECK_EQ_INT(offsetof(CorDebugExceptionObjectStackFrame, methodDef), 16);
    CHECK_EQ_INT(sizeof(CorDebugGuidToTypeMapping), 24);
    CHECK_EQ_INT(sizeof(COR_FIELD_OFFSET), 8);
    // An interface pointer is a pointer to a struct whose only member is the vtable pointer.
    CHECK_EQ_INT(sizeof(ICorDebug), sizeof(void *));
    CHECK_EQ_INT(offsetof(ICorDebugProcess, lpVtbl), 0);
}

TEST(iunknown_slots) {
    CHECK_EQ_INT(SLOT(IUnknown, QueryInterface), 0);
    CHECK_EQ_INT(SLOT(IUnknown, AddRef), 1);
    CHECK_EQ_INT(SLOT(IUnknown, Release), 2);
    CHECK_EQ_INT(SLOTS(IUnknown), 3);
    CHECK_EQ_INT(SLOT(ICorDebugValueEnum, Release), 2);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, QueryInterface), 0);
}

TEST(icordebug_slots) {
    CHECK_EQ_INT(SLOT(ICorDebug, Initialize), 3);
    CHECK_EQ_INT(SLOT(ICorDebug, Terminate), 4);
    CHECK_EQ_INT(SLOT(ICorDebug, SetManagedHandler), 5);
    CHECK_EQ_INT(SLOT(ICorDebug, SetUnmanagedHandler), 6);
    CHECK_EQ_INT(SLOT(ICorDebug, CreateProcess), 7);
    CHECK_EQ_INT(SLOT(ICorDebug, DebugActiveProcess), 8);
    CHECK_EQ_INT(SLOT(ICorDebug, EnumerateProcesses), 9);
    CHECK_EQ_INT(SLOT(ICorDebug, GetProcess), 10);
    CHECK_EQ_INT(SLOT(ICorDebug, CanLaunchOrAttach), 11);
    CHECK_EQ_INT(SLOTS(ICorDebug), 12);
    CHECK_EQ_INT(SLOTS(ICorDebug2), 3);
    CHECK_EQ_INT(SLOT(ICorDebugRemoteTarget, GetHostName), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugRemoteTarget), 4);
}

TEST(controller_process_appdomain_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugController, Stop), 3);
    CHECK_EQ_INT(SLOT(ICorDebugController, Continue), 4);
    CHECK_EQ_INT(SLOT(ICorDebugController, HasQueuedCallbacks), 6);
    CHECK_EQ_INT(SLOT(ICorDebugController, Detach), 9);
    CHECK_EQ_INT(SLOT(ICorDebugController, Terminate), 10);
    CHECK_EQ_INT(SLOT(ICorDebugController, CommitChanges), 12);
    CHECK_EQ_INT(SLOTS(ICorDebugController), 13);

    // ICorDebugProcess : ICorDebugController
    CHECK_EQ_INT(SLOT(ICorDebugProcess, Stop), 3);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, Continue), 4);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, EnumerateThreads), 7);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, Detach), 9);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, CommitChanges), 12);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, GetID), 13);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, GetHandle), 14);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, GetThread), 15);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, GetThreadContext), 19);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, ReadMemory), 21);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, WriteMemory), 22);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, EnumerateAppDomains), 26);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, GetObject), 27);
    CHECK_EQ_INT(SLOT(ICorDebugProcess, GetHelperThreadID), 29);
    CHECK_EQ_INT(SLOTS(ICorDebugProcess), 30);

    CHECK_EQ_INT(SLOT(ICorDebugProcess2, GetVersion), 4);
    CHECK_EQ_INT(SLOT(ICorDebugProcess2, GetReferenceValueFromGCHandle), 9);
    CHECK_EQ_INT(SLOTS(ICorDebugProcess2), 10);
    CHECK_EQ_INT(SLOT(ICorDebugProcess5, GetObject), 6);
    CHECK_EQ_INT(SLOT(ICorDebugProcess5, GetTypeFields), 13);
    CHECK_EQ_INT(SLOTS(ICorDebugProcess5), 15);

    // ICorDebugAppDomain : ICorDebugController
    CHECK_EQ_INT(SLOT(ICorDebugAppDomain, Continue), 4);
    CHECK_EQ_INT(SLOT(ICorDebugAppDomain, GetProcess), 13);
    CHECK_EQ_INT(SLOT(ICorDebugAppDomain, GetName), 19);
    CHECK_EQ_INT(SLOT(ICorDebugAppDomain, GetID), 22);
    CHECK_EQ_INT(SLOTS(ICorDebugAppDomain), 23);
    CHECK_EQ_INT(SLOT(ICorDebugAppDomain2, GetFunctionPointerType), 4);
    CHECK_EQ_INT(SLOTS(ICorDebugAppDomain2), 5);
    CHECK_EQ_INT(SLOT(ICorDebugAssembly, GetName), 7);
    CHECK_EQ_INT(SLOTS(ICorDebugAssembly), 8);
}

TEST(callback_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, Breakpoint), 3);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, StepComplete), 4);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, Break), 5);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, Exception), 6);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, EvalComplete), 7);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, EvalException), 8);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, CreateProcess), 9);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, ExitProcess), 10);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, CreateThread), 11);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, ExitThread), 12);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, LoadModule), 13);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, UnloadModule), 14);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, LoadClass), 15);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, UnloadClass), 16);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, DebuggerError), 17);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, LogMessage), 18);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, LogSwitch), 19);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, CreateAppDomain), 20);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, ExitAppDomain), 21);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, LoadAssembly), 22);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, UnloadAssembly), 23);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, ControlCTrap), 24);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, NameChange), 25);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, UpdateModuleSymbols), 26);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, EditAndContinueRemap), 27);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback, BreakpointSetError), 28);
    CHECK_EQ_INT(SLOTS(ICorDebugManagedCallback), 29);

    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, FunctionRemapOpportunity), 3);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, CreateConnection), 4);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, ChangeConnection), 5);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, DestroyConnection), 6);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, Exception), 7);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, ExceptionUnwind), 8);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, FunctionRemapComplete), 9);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback2, MDANotification), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugManagedCallback2), 11);

    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback3, CustomNotification), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugManagedCallback3), 4);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback4, BeforeGarbageCollection), 3);
    CHECK_EQ_INT(SLOT(ICorDebugManagedCallback4, DataBreakpoint), 5);
    CHECK_EQ_INT(SLOTS(ICorDebugManagedCallback4), 6);
    CHECK_EQ_INT(SLOT(ICorDebugUnmanagedCallback, DebugEvent), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugUnmanagedCallback), 4);
    CHECK_EQ_INT(SLOT(ICorDebugMDA, GetOSThreadId), 7);
    CHECK_EQ_INT(SLOTS(ICorDebugMDA), 8);
}

TEST(thread_stack_frame_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugThread, GetProcess), 3);
    CHECK_EQ_INT(SLOT(ICorDebugThread, GetID), 4);
    CHECK_EQ_INT(SLOT(ICorDebugThread, SetDebugState), 7);
    CHECK_EQ_INT(SLOT(ICorDebugThread, GetUserState), 9);
    CHECK_EQ_INT(SLOT(ICorDebugThread, GetCurrentException), 10);
    CHECK_EQ_INT(SLOT(ICorDebugThread, CreateStepper), 12);
    CHECK_EQ_INT(SLOT(ICorDebugThread, EnumerateChains), 13);
    CHECK_EQ_INT(SLOT(ICorDebugThread, GetActiveFrame), 15);
    CHECK_EQ_INT(SLOT(ICorDebugThread, CreateEval), 17);
    CHECK_EQ_INT(SLOT(ICorDebugThread, GetObject), 18);
    CHECK_EQ_INT(SLOTS(ICorDebugThread), 19);
    CHECK_EQ_INT(SLOT(ICorDebugThread2, InterceptCurrentException), 7);
    CHECK_EQ_INT(SLOTS(ICorDebugThread2), 8);
    CHECK_EQ_INT(SLOT(ICorDebugThread3, CreateStackWalk), 3);
    CHECK_EQ_INT(SLOT(ICorDebugThread3, GetActiveInternalFrames), 4);
    CHECK_EQ_INT(SLOTS(ICorDebugThread3), 5);

    CHECK_EQ_INT(SLOT(ICorDebugStackWalk, GetContext), 3);
    CHECK_EQ_INT(SLOT(ICorDebugStackWalk, Next), 5);
    CHECK_EQ_INT(SLOT(ICorDebugStackWalk, GetFrame), 6);
    CHECK_EQ_INT(SLOTS(ICorDebugStackWalk), 7);
    CHECK_EQ_INT(SLOT(ICorDebugChain, IsManaged), 10);
    CHECK_EQ_INT(SLOT(ICorDebugChain, EnumerateFrames), 11);
    CHECK_EQ_INT(SLOT(ICorDebugChain, GetReason), 14);
    CHECK_EQ_INT(SLOTS(ICorDebugChain), 15);

    CHECK_EQ_INT(SLOT(ICorDebugFrame, GetChain), 3);
    CHECK_EQ_INT(SLOT(ICorDebugFrame, GetFunctionToken), 6);
    CHECK_EQ_INT(SLOT(ICorDebugFrame, GetStackRange), 7);
    CHECK_EQ_INT(SLOT(ICorDebugFrame, CreateStepper), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugFrame), 11);

    // ICorDebugILFrame : ICorDebugFrame
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, GetFunction), 5);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, CreateStepper), 10);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, GetIP), 11);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, SetIP), 12);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, EnumerateLocalVariables), 13);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, GetLocalVariable), 14);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, EnumerateArguments), 15);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, GetArgument), 16);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame, CanSetIP), 19);
    CHECK_EQ_INT(SLOTS(ICorDebugILFrame), 20);
    CHECK_EQ_INT(SLOT(ICorDebugILFrame2, EnumerateTypeParameters), 4);
    CHECK_EQ_INT(SLOTS(ICorDebugILFrame2), 5);

    // ICorDebugNativeFrame / ICorDebugInternalFrame : ICorDebugFrame
    CHECK_EQ_INT(SLOT(ICorDebugNativeFrame, GetIP), 11);
    CHECK_EQ_INT(SLOT(ICorDebugNativeFrame, GetRegisterSet), 13);
    CHECK_EQ_INT(SLOT(ICorDebugNativeFrame, GetLocalMemoryRegisterValue), 18);
    CHECK_EQ_INT(SLOT(ICorDebugNativeFrame, CanSetIP), 19);
    CHECK_EQ_INT(SLOTS(ICorDebugNativeFrame), 20);
    CHECK_EQ_INT(SLOT(ICorDebugInternalFrame, GetFrameType), 11);
    CHECK_EQ_INT(SLOTS(ICorDebugInternalFrame), 12);
    CHECK_EQ_INT(SLOTS(ICorDebugRuntimeUnwindableFrame), 11);
}

TEST(module_function_code_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetProcess), 3);
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetBaseAddress), 4);
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetName), 6);
    CHECK_EQ_INT(SLOT(ICorDebugModule, EnableJITDebugging), 7);
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetFunctionFromToken), 9);
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetClassFromToken), 11);
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetMetaDataInterface), 14);
    CHECK_EQ_INT(SLOT(ICorDebugModule, GetToken), 15);
    CHECK_EQ_INT(SLOT(ICorDebugModule, IsDynamic), 16);
    CHECK_EQ_INT(SLOT(ICorDebugModule, IsInMemory), 19);
    CHECK_EQ_INT(SLOTS(ICorDebugModule), 20);
    CHECK_EQ_INT(SLOT(ICorDebugModule2, SetJMCStatus), 3);
    CHECK_EQ_INT(SLOT(ICorDebugModule2, SetJITCompilerFlags), 5);
    CHECK_EQ_INT(SLOT(ICorDebugModule2, ResolveAssembly), 7);
    CHECK_EQ_INT(SLOTS(ICorDebugModule2), 8);

    CHECK_EQ_INT(SLOT(ICorDebugFunction, GetModule), 3);
    CHECK_EQ_INT(SLOT(ICorDebugFunction, GetToken), 5);
    CHECK_EQ_INT(SLOT(ICorDebugFunction, GetILCode), 6);
    CHECK_EQ_INT(SLOT(ICorDebugFunction, GetNativeCode), 7);
    CHECK_EQ_INT(SLOT(ICorDebugFunction, CreateBreakpoint), 8);
    CHECK_EQ_INT(SLOT(ICorDebugFunction, GetCurrentVersionNumber), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugFunction), 11);
    CHECK_EQ_INT(SLOT(ICorDebugFunction2, SetJMCStatus), 3);
    CHECK_EQ_INT(SLOT(ICorDebugFunction2, GetVersionNumber), 6);
    CHECK_EQ_INT(SLOTS(ICorDebugFunction2), 7);

    CHECK_EQ_INT(SLOT(ICorDebugCode, IsIL), 3);
    CHECK_EQ_INT(SLOT(ICorDebugCode, GetAddress), 5);
    CHECK_EQ_INT(SLOT(ICorDebugCode, CreateBreakpoint), 7);
    CHECK_EQ_INT(SLOT(ICorDebugCode, GetCode), 8);
    CHECK_EQ_INT(SLOT(ICorDebugCode, GetILToNativeMapping), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugCode), 12);

    CHECK_EQ_INT(SLOT(ICorDebugClass, GetStaticFieldValue), 5);
    CHECK_EQ_INT(SLOTS(ICorDebugClass), 6);
    CHECK_EQ_INT(SLOT(ICorDebugClass2, GetParameterizedType), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugClass2), 5);
    CHECK_EQ_INT(SLOT(ICorDebugType, GetType), 3);
    CHECK_EQ_INT(SLOT(ICorDebugType, GetFirstTypeParameter), 6);
    CHECK_EQ_INT(SLOT(ICorDebugType, GetStaticFieldValue), 8);
    CHECK_EQ_INT(SLOTS(ICorDebugType), 10);
}

TEST(breakpoint_stepper_eval_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugBreakpoint, Activate), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugBreakpoint), 5);
    // ICorDebugFunctionBreakpoint : ICorDebugBreakpoint
    CHECK_EQ_INT(SLOT(ICorDebugFunctionBreakpoint, Activate), 3);
    CHECK_EQ_INT(SLOT(ICorDebugFunctionBreakpoint, IsActive), 4);
    CHECK_EQ_INT(SLOT(ICorDebugFunctionBreakpoint, GetFunction), 5);
    CHECK_EQ_INT(SLOT(ICorDebugFunctionBreakpoint, GetOffset), 6);
    CHECK_EQ_INT(SLOTS(ICorDebugFunctionBreakpoint), 7);

    CHECK_EQ_INT(SLOT(ICorDebugStepper, IsActive), 3);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, Deactivate), 4);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, SetInterceptMask), 5);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, SetUnmappedStopMask), 6);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, Step), 7);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, StepRange), 8);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, StepOut), 9);
    CHECK_EQ_INT(SLOT(ICorDebugStepper, SetRangeIL), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugStepper), 11);
    CHECK_EQ_INT(SLOT(ICorDebugStepper2, SetJMC), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugStepper2), 4);

    CHECK_EQ_INT(SLOT(ICorDebugEval, CallFunction), 3);
    CHECK_EQ_INT(SLOT(ICorDebugEval, NewString), 6);
    CHECK_EQ_INT(SLOT(ICorDebugEval, Abort), 9);
    CHECK_EQ_INT(SLOT(ICorDebugEval, GetResult), 10);
    CHECK_EQ_INT(SLOT(ICorDebugEval, CreateValue), 12);
    CHECK_EQ_INT(SLOTS(ICorDebugEval), 13);
    CHECK_EQ_INT(SLOT(ICorDebugEval2, CallParameterizedFunction), 3);
    CHECK_EQ_INT(SLOT(ICorDebugEval2, NewStringWithLength), 8);
    CHECK_EQ_INT(SLOT(ICorDebugEval2, RudeAbort), 9);
    CHECK_EQ_INT(SLOTS(ICorDebugEval2), 10);
}

TEST(value_hierarchy_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugValue, GetType), 3);
    CHECK_EQ_INT(SLOT(ICorDebugValue, GetSize), 4);
    CHECK_EQ_INT(SLOT(ICorDebugValue, GetAddress), 5);
    CHECK_EQ_INT(SLOT(ICorDebugValue, CreateBreakpoint), 6);
    CHECK_EQ_INT(SLOTS(ICorDebugValue), 7);
    CHECK_EQ_INT(SLOT(ICorDebugValue2, GetExactType), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugValue2), 4);

    CHECK_EQ_INT(SLOT(ICorDebugGenericValue, GetType), 3);
    CHECK_EQ_INT(SLOT(ICorDebugGenericValue, GetValue), 7);
    CHECK_EQ_INT(SLOT(ICorDebugGenericValue, SetValue), 8);
    CHECK_EQ_INT(SLOTS(ICorDebugGenericValue), 9);

    CHECK_EQ_INT(SLOT(ICorDebugReferenceValue, IsNull), 7);
    CHECK_EQ_INT(SLOT(ICorDebugReferenceValue, GetValue), 8);
    CHECK_EQ_INT(SLOT(ICorDebugReferenceValue, Dereference), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugReferenceValue), 12);
    // ICorDebugHandleValue : ICorDebugReferenceValue
    CHECK_EQ_INT(SLOT(ICorDebugHandleValue, Dereference), 10);
    CHECK_EQ_INT(SLOT(ICorDebugHandleValue, GetHandleType), 12);
    CHECK_EQ_INT(SLOT(ICorDebugHandleValue, Dispose), 13);
    CHECK_EQ_INT(SLOTS(ICorDebugHandleValue), 14);

    CHECK_EQ_INT(SLOT(ICorDebugHeapValue, IsValid), 7);
    CHECK_EQ_INT(SLOTS(ICorDebugHeapValue), 9);
    CHECK_EQ_INT(SLOT(ICorDebugHeapValue2, CreateHandle), 3);
    CHECK_EQ_INT(SLOTS(ICorDebugHeapValue2), 4);

    CHECK_EQ_INT(SLOT(ICorDebugObjectValue, GetClass), 7);
    CHECK_EQ_INT(SLOT(ICorDebugObjectValue, GetFieldValue), 8);
    CHECK_EQ_INT(SLOT(ICorDebugObjectValue, IsValueClass), 11);
    CHECK_EQ_INT(SLOT(ICorDebugObjectValue, SetFromManagedCopy), 13);
    CHECK_EQ_INT(SLOTS(ICorDebugObjectValue), 14);
    CHECK_EQ_INT(SLOT(ICorDebugObjectValue2, GetVirtualMethodAndType), 3);

    // String/Array/Box : ICorDebugHeapValue : ICorDebugValue
    CHECK_EQ_INT(SLOT(ICorDebugStringValue, IsValid), 7);
    CHECK_EQ_INT(SLOT(ICorDebugStringValue, GetLength), 9);
    CHECK_EQ_INT(SLOT(ICorDebugStringValue, GetString), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugStringValue), 11);
    CHECK_EQ_INT(SLOT(ICorDebugArrayValue, GetElementType), 9);
    CHECK_EQ_INT(SLOT(ICorDebugArrayValue, GetRank), 10);
    CHECK_EQ_INT(SLOT(ICorDebugArrayValue, GetCount), 11);
    CHECK_EQ_INT(SLOT(ICorDebugArrayValue, GetDimensions), 12);
    CHECK_EQ_INT(SLOT(ICorDebugArrayValue, GetElement), 15);
    CHECK_EQ_INT(SLOT(ICorDebugArrayValue, GetElementAtPosition), 16);
    CHECK_EQ_INT(SLOTS(ICorDebugArrayValue), 17);
    CHECK_EQ_INT(SLOT(ICorDebugBoxValue, GetObject), 9);
    CHECK_EQ_INT(SLOTS(ICorDebugBoxValue), 10);
    CHECK_EQ_INT(SLOTS(ICorDebugContext), 14);
}

TEST(enum_slots) {
    CHECK_EQ_INT(SLOT(ICorDebugEnum, Skip), 3);
    CHECK_EQ_INT(SLOT(ICorDebugEnum, Reset), 4);
    CHECK_EQ_INT(SLOT(ICorDebugEnum, Clone), 5);
    CHECK_EQ_INT(SLOT(ICorDebugEnum, GetCount), 6);
    CHECK_EQ_INT(SLOTS(ICorDebugEnum), 7);
    // Every ICorDebug*Enum : ICorDebugEnum adds only Next, at slot 7.
    CHECK_EQ_INT(SLOT(ICorDebugProcessEnum, GetCount), 6);
    CHECK_EQ_INT(SLOT(ICorDebugProcessEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugThreadEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugAppDomainEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugAssemblyEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugModuleEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugChainEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugFrameEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugBreakpointEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugStepperEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugObjectEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugValueEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugTypeEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugCodeEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugErrorInfoEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugBlockingObjectEnum, Next), 7);
    CHECK_EQ_INT(SLOT(ICorDebugExceptionObjectCallStackEnum, Next), 7);
    CHECK_EQ_INT(SLOTS(ICorDebugValueEnum), 8);
    CHECK_EQ_INT(SLOTS(ICorDebugHeapEnum), 8);
    CHECK_EQ_INT(SLOTS(ICorDebugGuidToTypeEnum), 8);
}

TEST(metadata_import_slots) {
    CHECK_EQ_INT(SLOT(IMetaDataImport, CloseEnum), 3);
    CHECK_EQ_INT(SLOT(IMetaDataImport, EnumTypeDefs), 6);
    CHECK_EQ_INT(SLOT(IMetaDataImport, FindTypeDefByName), 9);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetTypeDefProps), 12);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetTypeRefProps), 14);
    CHECK_EQ_INT(SLOT(IMetaDataImport, EnumMethods), 18);
    CHECK_EQ_INT(SLOT(IMetaDataImport, EnumFields), 20);
    CHECK_EQ_INT(SLOT(IMetaDataImport, FindMethod), 27);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetMethodProps), 30);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetMemberRefProps), 31);
    CHECK_EQ_INT(SLOT(IMetaDataImport, EnumProperties), 32);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetSigFromToken), 41);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetUserString), 47);
    CHECK_EQ_INT(SLOT(IMetaDataImport, EnumCustomAttributes), 53);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetFieldProps), 57);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetPropertyProps), 58);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetCustomAttributeByName), 60);
    CHECK_EQ_INT(SLOT(IMetaDataImport, IsValidToken), 61);
    CHECK_EQ_INT(SLOT(IMetaDataImport, GetNestedClassProps), 62);
    CHECK_EQ_INT(SLOT(IMetaDataImport, IsGlobal), 64);
    CHECK_EQ_INT(SLOTS(IMetaDataImport), 65);
    // IMetaDataImport2 : IMetaDataImport
    CHECK_EQ_INT(SLOT(IMetaDataImport2, IsGlobal), 64);
    CHECK_EQ_INT(SLOT(IMetaDataImport2, EnumGenericParams), 65);
    CHECK_EQ_INT(SLOT(IMetaDataImport2, GetGenericParamProps), 66);
    CHECK_EQ_INT(SLOT(IMetaDataImport2, EnumMethodSpecs), 72);
    CHECK_EQ_INT(SLOTS(IMetaDataImport2), 73);
}

TEST(hresults) {
    CHECK(SUCCEEDED(S_OK));
    CHECK(SUCCEEDED(S_FALSE));
    CHECK(FAILED(E_FAIL));
    CHECK(FAILED(CORDBG_E_PROCESS_TERMINATED));
    CHECK(SUCCEEDED(CORDBG_S_AT_END_OF_STACK));
    CHECK_EQ_INT((uint32_t)E_NOINTERFACE, 0x80004002u);
    CHECK_EQ_INT((uint32_t)E_INVALIDARG, 0x80070057u);
    CHECK_EQ_INT((uint32_t)E_OUTOFMEMORY, 0x8007000Eu);
    CHECK_EQ_INT((uint32_t)CORDBG_E_UNRECOVERABLE_ERROR, 0x80131300u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_PROCESS_TERMINATED, 0x80131301u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_PROCESS_NOT_SYNCHRONIZED, 0x80131302u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_IL_VAR_NOT_AVAILABLE, 0x80131304u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_BAD_REFERENCE_VALUE, 0x80131305u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_CODE_NOT_AVAILABLE, 0x80131309u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_CANT_SET_IP_INTO_FINALLY, 0x8013130Eu);
    CHECK_EQ_INT((uint32_t)CORDBG_E_FUNC_EVAL_NOT_COMPLETE, 0x80131315u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_DEBUGGING_NOT_POSSIBLE, 0x80131346u);
    CHECK_EQ_INT((uint32_t)CORDBG_E_OBJECT_NEUTERED, 0x8013134Fu);
    CHECK_EQ_INT((uint32_t)CORDBG_E_NOTREADY, 0x80131C10u);
    CHECK_EQ_INT((uint32_t)CORDBG_S_AT_END_OF_STACK, 0x00131324u);
    CHECK_EQ_INT(sizeof(CORDBG_E_PROCESS_TERMINATED), 4);
}

TEST(iids) {
    CHECK_EQ_INT(IID_ICorDebug.Data1, 0x3d6f5f61u);
    CHECK_EQ_INT(IID_ICorDebug.Data2, 0x7538);
    CHECK_EQ_INT(IID_ICorDebug.Data3, 0x11d3);
    static const uint8_t tail[8] = {0x8d, 0x5b, 0x00, 0x10, 0x4b, 0x35, 0xe7, 0xef};
    CHECK_EQ_MEM(IID_ICorDebug.Data4, tail, 8);
    // 250E5EEA-DB5C-4C76-B6F3-8C46F12E3203, as laid out in memory.
    static const uint8_t cb2[16] = {0xEA, 0x5E, 0x0E, 0x25, 0x5C, 0xDB, 0x76, 0x4C,
                                    0xB6, 0xF3, 0x8C, 0x46, 0xF1, 0x2E, 0x32, 0x03};
    CHECK_EQ_MEM(&IID_ICorDebugManagedCallback2, cb2, 16);
    CHECK_EQ_INT(IID_IUnknown.Data1, 0);
    CHECK_EQ_INT(IID_IUnknown.Data4[0], 0xC0);
    CHECK_EQ_INT(IID_IUnknown.Data4[7], 0x46);
    CHECK_EQ_INT(IID_IMetaDataImport.Data1, 0x7DAC8207u);

    CHECK(clr_iid_equal(&IID_ICorDebugProcess, &IID_ICorDebugProcess));
    CHECK(!clr_iid_equal(&IID_ICorDebugProcess, &IID_ICorDebugAppDomain));
    IID copy = IID_ICorDebugThread;
    CHECK(clr_iid_equal(&copy, &IID_ICorDebugThread));
    copy.Data4[7] ^= 1;
    CHECK(!clr_iid_equal(&copy, &IID_ICorDebugThread));
}

TEST(iid_names) {
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugManagedCallback2), "ICorDebugManagedCallback2");
    CHECK_EQ_STR(clr_iid_name(&IID_IUnknown), "IUnknown");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebug), "ICorDebug");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugManagedCallback), "ICorDebugManagedCallback");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugManagedCallback3), "ICorDebugManagedCallback3");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugManagedCallback4), "ICorDebugManagedCallback4");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugProcess), "ICorDebugProcess");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugILFrame), "ICorDebugILFrame");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugStringValue), "ICorDebugStringValue");
    CHECK_EQ_STR(clr_iid_name(&IID_ICorDebugExceptionObjectValue2),
                 "ICorDebugExceptionObjectValue2");
    CHECK_EQ_STR(clr_iid_name(&IID_IMetaDataImport2), "IMetaDataImport2");
    IID unknown = {0x12345678, 0x1234, 0x1234, {1, 2, 3, 4, 5, 6, 7, 8}};
    CHECK(clr_iid_name(&unknown) == NULL);
    CHECK(clr_iid_name(NULL) == NULL);
}

// A callback object in the C-COM style: the struct's first member is the vtable pointer.
typedef struct {
    ICorDebugManagedCallback iface;
    int refs;
} TestCallback;

static ULONG test_cb_addref(ICorDebugManagedCallback *This) {
    return (ULONG)++((TestCallback *)This)->refs;
}

static ULONG test_cb_release(ICorDebugManagedCallback *This) {
    return (ULONG)--((TestCallback *)This)->refs;
}

static HRESULT test_cb_break(ICorDebugManagedCallback *This, ICorDebugAppDomain *pAppDomain,
                             ICorDebugThread *thread) {
    return S_FALSE;
}

TEST(callback_vtable_dispatch) {
    static const ICorDebugManagedCallbackVtbl vtbl = {
        .AddRef = test_cb_addref,
        .Release = test_cb_release,
        .Break = test_cb_break,
    };
    TestCallback cb = {.iface = {.lpVtbl = &vtbl}, .refs = 1};
    ICorDebugManagedCallback *p = &cb.iface;
    CHECK_EQ_INT(p->lpVtbl->AddRef(p), 2);
    CHECK_EQ_INT(p->lpVtbl->Break(p, NULL, NULL), S_FALSE);
    CHECK_EQ_INT(p->lpVtbl->Release(p), 1);
    // Slot 5 of the table, reached as raw pointers the way the runtime's C++ calls it.
    void *const *raw = (void *const *)(const void *)&vtbl;
    CHECK(raw[5] == (void *)test_cb_break);
}

UNIT_MAIN()
