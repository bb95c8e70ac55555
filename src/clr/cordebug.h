// cordebug.h — cordbg's own C declarations of the ICorDebug COM interfaces (the API of the
// runtime's libmscordbi.so, the debugger "right side") and of IMetaDataImport/IMetaDataImport2.
// Call through them as `p->lpVtbl->Method(p, ...)`; implement callbacks by filling a Vtbl.
// Declarations only; which thread may call what is decided by clr/ and engine/.
//
// Source: dotnet/runtime src/coreclr/inc/cordebug.idl (every interface, in IDL order),
// src/coreclr/inc/cor.h (IMetaDataImport, IMetaDataImport2), corhdr.h for metadata types and
// corerror.xml for HRESULTs (those two in comtypes.h). Vtable order, method signatures and
// IIDs are taken from there: each Vtbl lists the IUnknown slots, then every base interface's
// methods, then the interface's own, exactly as the IDL orders them. A wrong or missing slot
// calls the wrong function at run time, so tests/unit/test_cordebug_abi.c pins slot indices,
// and every IID in cordebug_iids.c was checked byte for byte against the IID table inside
// .NET 10's libmscordbi.so (which holds exactly these 137 ICorDebug IIDs).
//
// ICorDebugExceptionObjectValue2 (ForceCatchHandlerFoundEvents, .NET 9+) comes from
// dotnet/runtime PR #101255, which postdates the IDL revision transcribed here.
//
// ABI notes for Linux x86-64: calls use the SysV convention (STDMETHODCALLTYPE is empty in the
// PAL); `This` is the first argument; WCHAR strings are UTF-16; COR_TYPEID is passed by value
// (two eightbytes). Parameter names follow the IDL.
#ifndef CORDBG_CLR_CORDEBUG_H
#define CORDBG_CLR_CORDEBUG_H

#include "clr/comtypes.h"

// ---- every interface, forward-declared ----------------------------------------------------

typedef struct IUnknown IUnknown;
typedef struct ICorDebugDataTarget ICorDebugDataTarget;
typedef struct ICorDebugStaticFieldSymbol ICorDebugStaticFieldSymbol;
typedef struct ICorDebugInstanceFieldSymbol ICorDebugInstanceFieldSymbol;
typedef struct ICorDebugVariableSymbol ICorDebugVariableSymbol;
typedef struct ICorDebugMemoryBuffer ICorDebugMemoryBuffer;
typedef struct ICorDebugMergedAssemblyRecord ICorDebugMergedAssemblyRecord;
typedef struct ICorDebugSymbolProvider ICorDebugSymbolProvider;
typedef struct ICorDebugSymbolProvider2 ICorDebugSymbolProvider2;
typedef struct ICorDebugVirtualUnwinder ICorDebugVirtualUnwinder;
typedef struct ICorDebugDataTarget2 ICorDebugDataTarget2;
typedef struct ICorDebugLoadedModule ICorDebugLoadedModule;
typedef struct ICorDebugDataTarget3 ICorDebugDataTarget3;
typedef struct ICorDebugDataTarget4 ICorDebugDataTarget4;
typedef struct ICorDebugMutableDataTarget ICorDebugMutableDataTarget;
typedef struct ICorDebugMetaDataLocator ICorDebugMetaDataLocator;
typedef struct ICorDebugManagedCallback ICorDebugManagedCallback;
typedef struct ICorDebugManagedCallback3 ICorDebugManagedCallback3;
typedef struct ICorDebugManagedCallback4 ICorDebugManagedCallback4;
typedef struct ICorDebugManagedCallback2 ICorDebugManagedCallback2;
typedef struct ICorDebugUnmanagedCallback ICorDebugUnmanagedCallback;
typedef struct ICorDebug ICorDebug;
typedef struct ICorDebugRemoteTarget ICorDebugRemoteTarget;
typedef struct ICorDebugRemote ICorDebugRemote;
typedef struct ICorDebug2 ICorDebug2;
typedef struct ICorDebugController ICorDebugController;
typedef struct ICorDebugAppDomain ICorDebugAppDomain;
typedef struct ICorDebugAppDomain2 ICorDebugAppDomain2;
typedef struct ICorDebugGuidToTypeEnum ICorDebugGuidToTypeEnum;
typedef struct ICorDebugAppDomain3 ICorDebugAppDomain3;
typedef struct ICorDebugAppDomain4 ICorDebugAppDomain4;
typedef struct ICorDebugAssembly ICorDebugAssembly;
typedef struct ICorDebugAssembly2 ICorDebugAssembly2;
typedef struct ICorDebugAssembly3 ICorDebugAssembly3;
typedef struct ICorDebugHeapEnum ICorDebugHeapEnum;
typedef struct ICorDebugHeapSegmentEnum ICorDebugHeapSegmentEnum;
typedef struct ICorDebugGCReferenceEnum ICorDebugGCReferenceEnum;
typedef struct ICorDebugProcess ICorDebugProcess;
typedef struct ICorDebugProcess2 ICorDebugProcess2;
typedef struct ICorDebugProcess3 ICorDebugProcess3;
typedef struct ICorDebugProcess5 ICorDebugProcess5;
typedef struct ICorDebugDebugEvent ICorDebugDebugEvent;
typedef struct ICorDebugProcess6 ICorDebugProcess6;
typedef struct ICorDebugProcess7 ICorDebugProcess7;
typedef struct ICorDebugProcess8 ICorDebugProcess8;
typedef struct ICorDebugProcess10 ICorDebugProcess10;
typedef struct ICorDebugMemoryRangeEnum ICorDebugMemoryRangeEnum;
typedef struct ICorDebugProcess11 ICorDebugProcess11;
typedef struct ICorDebugModuleDebugEvent ICorDebugModuleDebugEvent;
typedef struct ICorDebugExceptionDebugEvent ICorDebugExceptionDebugEvent;
typedef struct ICorDebugBreakpoint ICorDebugBreakpoint;
typedef struct ICorDebugFunctionBreakpoint ICorDebugFunctionBreakpoint;
typedef struct ICorDebugModuleBreakpoint ICorDebugModuleBreakpoint;
typedef struct ICorDebugValueBreakpoint ICorDebugValueBreakpoint;
typedef struct ICorDebugStepper ICorDebugStepper;
typedef struct ICorDebugStepper2 ICorDebugStepper2;
typedef struct ICorDebugRegisterSet ICorDebugRegisterSet;
typedef struct ICorDebugRegisterSet2 ICorDebugRegisterSet2;
typedef struct ICorDebugThread ICorDebugThread;
typedef struct ICorDebugThread2 ICorDebugThread2;
typedef struct ICorDebugThread3 ICorDebugThread3;
typedef struct ICorDebugThread4 ICorDebugThread4;
typedef struct ICorDebugThread5 ICorDebugThread5;
typedef struct ICorDebugStackWalk ICorDebugStackWalk;
typedef struct ICorDebugChain ICorDebugChain;
typedef struct ICorDebugFrame ICorDebugFrame;
typedef struct ICorDebugInternalFrame ICorDebugInternalFrame;
typedef struct ICorDebugInternalFrame2 ICorDebugInternalFrame2;
typedef struct ICorDebugILFrame ICorDebugILFrame;
typedef struct ICorDebugILFrame2 ICorDebugILFrame2;
typedef struct ICorDebugILFrame3 ICorDebugILFrame3;
typedef struct ICorDebugILFrame4 ICorDebugILFrame4;
typedef struct ICorDebugNativeFrame ICorDebugNativeFrame;
typedef struct ICorDebugNativeFrame2 ICorDebugNativeFrame2;
typedef struct ICorDebugModule3 ICorDebugModule3;
typedef struct ICorDebugModule4 ICorDebugModule4;
typedef struct ICorDebugRuntimeUnwindableFrame ICorDebugRuntimeUnwindableFrame;
typedef struct ICorDebugModule ICorDebugModule;
typedef struct ICorDebugModule2 ICorDebugModule2;
typedef struct ICorDebugFunction ICorDebugFunction;
typedef struct ICorDebugFunction2 ICorDebugFunction2;
typedef struct ICorDebugFunction3 ICorDebugFunction3;
typedef struct ICorDebugFunction4 ICorDebugFunction4;
typedef struct ICorDebugFunction5 ICorDebugFunction5;
typedef struct ICorDebugCode ICorDebugCode;
typedef struct ICorDebugCode2 ICorDebugCode2;
typedef struct ICorDebugCode3 ICorDebugCode3;
typedef struct ICorDebugCode4 ICorDebugCode4;
typedef struct ICorDebugILCode ICorDebugILCode;
typedef struct ICorDebugILCode2 ICorDebugILCode2;
typedef struct ICorDebugClass ICorDebugClass;
typedef struct ICorDebugClass2 ICorDebugClass2;
typedef struct ICorDebugEval ICorDebugEval;
typedef struct ICorDebugEval2 ICorDebugEval2;
typedef struct ICorDebugValue ICorDebugValue;
typedef struct ICorDebugValue2 ICorDebugValue2;
typedef struct ICorDebugValue3 ICorDebugValue3;
typedef struct ICorDebugGenericValue ICorDebugGenericValue;
typedef struct ICorDebugReferenceValue ICorDebugReferenceValue;
typedef struct ICorDebugHeapValue ICorDebugHeapValue;
typedef struct ICorDebugHeapValue2 ICorDebugHeapValue2;
typedef struct ICorDebugHeapValue3 ICorDebugHeapValue3;
typedef struct ICorDebugHeapValue4 ICorDebugHeapValue4;
typedef struct ICorDebugObjectValue ICorDebugObjectValue;
typedef struct ICorDebugObjectValue2 ICorDebugObjectValue2;
typedef struct ICorDebugDelegateObjectValue ICorDebugDelegateObjectValue;
typedef struct ICorDebugBoxValue ICorDebugBoxValue;
typedef struct ICorDebugStringValue ICorDebugStringValue;
typedef struct ICorDebugArrayValue ICorDebugArrayValue;
typedef struct ICorDebugVariableHome ICorDebugVariableHome;
typedef struct ICorDebugHandleValue ICorDebugHandleValue;
typedef struct ICorDebugContext ICorDebugContext;
typedef struct ICorDebugComObjectValue ICorDebugComObjectValue;
typedef struct ICorDebugEnum ICorDebugEnum;
typedef struct ICorDebugObjectEnum ICorDebugObjectEnum;
typedef struct ICorDebugBreakpointEnum ICorDebugBreakpointEnum;
typedef struct ICorDebugStepperEnum ICorDebugStepperEnum;
typedef struct ICorDebugProcessEnum ICorDebugProcessEnum;
typedef struct ICorDebugThreadEnum ICorDebugThreadEnum;
typedef struct ICorDebugFrameEnum ICorDebugFrameEnum;
typedef struct ICorDebugChainEnum ICorDebugChainEnum;
typedef struct ICorDebugModuleEnum ICorDebugModuleEnum;
typedef struct ICorDebugValueEnum ICorDebugValueEnum;
typedef struct ICorDebugVariableHomeEnum ICorDebugVariableHomeEnum;
typedef struct ICorDebugCodeEnum ICorDebugCodeEnum;
typedef struct ICorDebugTypeEnum ICorDebugTypeEnum;
typedef struct ICorDebugType ICorDebugType;
typedef struct ICorDebugType2 ICorDebugType2;
typedef struct ICorDebugErrorInfoEnum ICorDebugErrorInfoEnum;
typedef struct ICorDebugAppDomainEnum ICorDebugAppDomainEnum;
typedef struct ICorDebugAssemblyEnum ICorDebugAssemblyEnum;
typedef struct ICorDebugBlockingObjectEnum ICorDebugBlockingObjectEnum;
typedef struct ICorDebugMDA ICorDebugMDA;
typedef struct ICorDebugEditAndContinueErrorInfo ICorDebugEditAndContinueErrorInfo;
typedef struct ICorDebugEditAndContinueSnapshot ICorDebugEditAndContinueSnapshot;
typedef struct ICorDebugExceptionObjectCallStackEnum ICorDebugExceptionObjectCallStackEnum;
typedef struct ICorDebugExceptionObjectValue ICorDebugExceptionObjectValue;
typedef struct ICorDebugExceptionObjectValue2 ICorDebugExceptionObjectValue2;
typedef struct IMetaDataImport IMetaDataImport;
typedef struct IMetaDataImport2 IMetaDataImport2;

// Interfaces named by methods but not declared here.
typedef struct IStream IStream;

// ---- structs that name interfaces (cordebug.idl) -------------------------------------------

typedef struct CorDebugBlockingObject {
    ICorDebugValue        *pBlockingObject;
    DWORD                  dwTimeout;
    CorDebugBlockingReason blockingReason;
} CorDebugBlockingObject;

typedef struct CorDebugExceptionObjectStackFrame {
    ICorDebugModule *pModule;
    CORDB_ADDRESS    ip;
    mdMethodDef      methodDef;
    BOOL             isLastForeignExceptionFrame;
} CorDebugExceptionObjectStackFrame;

typedef struct CorDebugGuidToTypeMapping {
    GUID           iid;
    ICorDebugType *pType;
} CorDebugGuidToTypeMapping;

typedef struct COR_GC_REFERENCE {
    ICorDebugAppDomain *Domain;
    ICorDebugValue     *Location;
    CorGCReferenceType  Type;
    UINT64              ExtraData;
} COR_GC_REFERENCE;

typedef struct _COR_ACTIVE_FUNCTION {
    ICorDebugAppDomain *pAppDomain;
    ICorDebugModule    *pModule;
    ICorDebugFunction2 *pFunction;
    ULONG32             ilOffset;
    ULONG32             flags;
} COR_ACTIVE_FUNCTION;

// ---- interfaces ------------------------------------------------------------------------------

// IUnknown: 3 slots (IUnknown 3)
typedef struct IUnknownVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(IUnknown *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(IUnknown *This);
    ULONG (*Release)(IUnknown *This);
} IUnknownVtbl;
struct IUnknown { const IUnknownVtbl *lpVtbl; };
extern const IID IID_IUnknown;

// ICorDebugDataTarget: 6 slots (IUnknown 3 + ICorDebugDataTarget 3)
typedef struct ICorDebugDataTargetVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugDataTarget *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugDataTarget *This);
    ULONG (*Release)(ICorDebugDataTarget *This);
    // ICorDebugDataTarget
    HRESULT (*GetPlatform)(ICorDebugDataTarget *This, CorDebugPlatform *pTargetPlatform);
    HRESULT (*ReadVirtual)(
        ICorDebugDataTarget *This,
        CORDB_ADDRESS address,
        BYTE *pBuffer,
        ULONG32 bytesRequested,
        ULONG32 *pBytesRead);
    HRESULT (*GetThreadContext)(
        ICorDebugDataTarget *This,
        DWORD dwThreadID,
        ULONG32 contextFlags,
        ULONG32 contextSize,
        BYTE *pContext);
} ICorDebugDataTargetVtbl;
struct ICorDebugDataTarget { const ICorDebugDataTargetVtbl *lpVtbl; };
extern const IID IID_ICorDebugDataTarget;

// ICorDebugStaticFieldSymbol: 6 slots (IUnknown 3 + ICorDebugStaticFieldSymbol 3)
typedef struct ICorDebugStaticFieldSymbolVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugStaticFieldSymbol *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugStaticFieldSymbol *This);
    ULONG (*Release)(ICorDebugStaticFieldSymbol *This);
    // ICorDebugStaticFieldSymbol
    HRESULT (*GetName)(
        ICorDebugStaticFieldSymbol *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetSize)(ICorDebugStaticFieldSymbol *This, ULONG32 *pcbSize);
    HRESULT (*GetAddress)(ICorDebugStaticFieldSymbol *This, CORDB_ADDRESS *pRVA);
} ICorDebugStaticFieldSymbolVtbl;
struct ICorDebugStaticFieldSymbol { const ICorDebugStaticFieldSymbolVtbl *lpVtbl; };
extern const IID IID_ICorDebugStaticFieldSymbol;

// ICorDebugInstanceFieldSymbol: 6 slots (IUnknown 3 + ICorDebugInstanceFieldSymbol 3)
typedef struct ICorDebugInstanceFieldSymbolVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugInstanceFieldSymbol *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugInstanceFieldSymbol *This);
    ULONG (*Release)(ICorDebugInstanceFieldSymbol *This);
    // ICorDebugInstanceFieldSymbol
    HRESULT (*GetName)(
        ICorDebugInstanceFieldSymbol *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetSize)(ICorDebugInstanceFieldSymbol *This, ULONG32 *pcbSize);
    HRESULT (*GetOffset)(ICorDebugInstanceFieldSymbol *This, ULONG32 *pcbOffset);
} ICorDebugInstanceFieldSymbolVtbl;
struct ICorDebugInstanceFieldSymbol { const ICorDebugInstanceFieldSymbolVtbl *lpVtbl; };
extern const IID IID_ICorDebugInstanceFieldSymbol;

// ICorDebugVariableSymbol: 8 slots (IUnknown 3 + ICorDebugVariableSymbol 5)
typedef struct ICorDebugVariableSymbolVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugVariableSymbol *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugVariableSymbol *This);
    ULONG (*Release)(ICorDebugVariableSymbol *This);
    // ICorDebugVariableSymbol
    HRESULT (*GetName)(
        ICorDebugVariableSymbol *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetSize)(ICorDebugVariableSymbol *This, ULONG32 *pcbValue);
    HRESULT (*GetValue)(
        ICorDebugVariableSymbol *This,
        ULONG32 offset,
        ULONG32 cbContext,
        BYTE context[],
        ULONG32 cbValue,
        ULONG32 *pcbValue,
        BYTE pValue[]);
    HRESULT (*SetValue)(
        ICorDebugVariableSymbol *This,
        ULONG32 offset,
        DWORD threadID,
        ULONG32 cbContext,
        BYTE context[],
        ULONG32 cbValue,
        BYTE pValue[]);
    HRESULT (*GetSlotIndex)(ICorDebugVariableSymbol *This, ULONG32 *pSlotIndex);
} ICorDebugVariableSymbolVtbl;
struct ICorDebugVariableSymbol { const ICorDebugVariableSymbolVtbl *lpVtbl; };
extern const IID IID_ICorDebugVariableSymbol;

// ICorDebugMemoryBuffer: 5 slots (IUnknown 3 + ICorDebugMemoryBuffer 2)
typedef struct ICorDebugMemoryBufferVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugMemoryBuffer *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugMemoryBuffer *This);
    ULONG (*Release)(ICorDebugMemoryBuffer *This);
    // ICorDebugMemoryBuffer
    HRESULT (*GetStartAddress)(ICorDebugMemoryBuffer *This, LPCVOID *address);
    HRESULT (*GetSize)(ICorDebugMemoryBuffer *This, ULONG32 *pcbBufferLength);
} ICorDebugMemoryBufferVtbl;
struct ICorDebugMemoryBuffer { const ICorDebugMemoryBufferVtbl *lpVtbl; };
extern const IID IID_ICorDebugMemoryBuffer;

// ICorDebugMergedAssemblyRecord: 9 slots (IUnknown 3 + ICorDebugMergedAssemblyRecord 6)
typedef struct ICorDebugMergedAssemblyRecordVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugMergedAssemblyRecord *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugMergedAssemblyRecord *This);
    ULONG (*Release)(ICorDebugMergedAssemblyRecord *This);
    // ICorDebugMergedAssemblyRecord
    HRESULT (*GetSimpleName)(
        ICorDebugMergedAssemblyRecord *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetVersion)(
        ICorDebugMergedAssemblyRecord *This,
        USHORT *pMajor,
        USHORT *pMinor,
        USHORT *pBuild,
        USHORT *pRevision);
    HRESULT (*GetCulture)(
        ICorDebugMergedAssemblyRecord *This,
        ULONG32 cchCulture,
        ULONG32 *pcchCulture,
        WCHAR szCulture[]);
    HRESULT (*GetPublicKey)(
        ICorDebugMergedAssemblyRecord *This,
        ULONG32 cbPublicKey,
        ULONG32 *pcbPublicKey,
        BYTE pbPublicKey[]);
    HRESULT (*GetPublicKeyToken)(
        ICorDebugMergedAssemblyRecord *This,
        ULONG32 cbPublicKeyToken,
        ULONG32 *pcbPublicKeyToken,
        BYTE pbPublicKeyToken[]);
    HRESULT (*GetIndex)(ICorDebugMergedAssemblyRecord *This, ULONG32 *pIndex);
} ICorDebugMergedAssemblyRecordVtbl;
struct ICorDebugMergedAssemblyRecord { const ICorDebugMergedAssemblyRecordVtbl *lpVtbl; };
extern const IID IID_ICorDebugMergedAssemblyRecord;

// ICorDebugSymbolProvider: 14 slots (IUnknown 3 + ICorDebugSymbolProvider 11)
typedef struct ICorDebugSymbolProviderVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugSymbolProvider *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugSymbolProvider *This);
    ULONG (*Release)(ICorDebugSymbolProvider *This);
    // ICorDebugSymbolProvider
    HRESULT (*GetStaticFieldSymbols)(
        ICorDebugSymbolProvider *This,
        ULONG32 cbSignature,
        BYTE typeSig[],
        ULONG32 cRequestedSymbols,
        ULONG32 *pcFetchedSymbols,
        ICorDebugStaticFieldSymbol *pSymbols[]);
    HRESULT (*GetInstanceFieldSymbols)(
        ICorDebugSymbolProvider *This,
        ULONG32 cbSignature,
        BYTE typeSig[],
        ULONG32 cRequestedSymbols,
        ULONG32 *pcFetchedSymbols,
        ICorDebugInstanceFieldSymbol *pSymbols[]);
    HRESULT (*GetMethodLocalSymbols)(
        ICorDebugSymbolProvider *This,
        ULONG32 nativeRVA,
        ULONG32 cRequestedSymbols,
        ULONG32 *pcFetchedSymbols,
        ICorDebugVariableSymbol *pSymbols[]);
    HRESULT (*GetMethodParameterSymbols)(
        ICorDebugSymbolProvider *This,
        ULONG32 nativeRVA,
        ULONG32 cRequestedSymbols,
        ULONG32 *pcFetchedSymbols,
        ICorDebugVariableSymbol *pSymbols[]);
    HRESULT (*GetMergedAssemblyRecords)(
        ICorDebugSymbolProvider *This,
        ULONG32 cRequestedRecords,
        ULONG32 *pcFetchedRecords,
        ICorDebugMergedAssemblyRecord *pRecords[]);
    HRESULT (*GetMethodProps)(
        ICorDebugSymbolProvider *This,
        ULONG32 codeRva,
        mdToken *pMethodToken,
        ULONG32 *pcGenericParams,
        ULONG32 cbSignature,
        ULONG32 *pcbSignature,
        BYTE signature[]);
    HRESULT (*GetTypeProps)(
        ICorDebugSymbolProvider *This,
        ULONG32 vtableRva,
        ULONG32 cbSignature,
        ULONG32 *pcbSignature,
        BYTE signature[]);
    HRESULT (*GetCodeRange)(
        ICorDebugSymbolProvider *This,
        ULONG32 codeRva,
        ULONG32 *pCodeStartAddress,
        ULONG32 *pCodeSize);
    HRESULT (*GetAssemblyImageBytes)(
        ICorDebugSymbolProvider *This,
        CORDB_ADDRESS rva,
        ULONG32 length,
        ICorDebugMemoryBuffer **ppMemoryBuffer);
    HRESULT (*GetObjectSize)(
        ICorDebugSymbolProvider *This,
        ULONG32 cbSignature,
        BYTE typeSig[],
        ULONG32 *pObjectSize);
    HRESULT (*GetAssemblyImageMetadata)(
        ICorDebugSymbolProvider *This,
        ICorDebugMemoryBuffer **ppMemoryBuffer);
} ICorDebugSymbolProviderVtbl;
struct ICorDebugSymbolProvider { const ICorDebugSymbolProviderVtbl *lpVtbl; };
extern const IID IID_ICorDebugSymbolProvider;

// ICorDebugSymbolProvider2: 5 slots (IUnknown 3 + ICorDebugSymbolProvider2 2)
typedef struct ICorDebugSymbolProvider2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugSymbolProvider2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugSymbolProvider2 *This);
    ULONG (*Release)(ICorDebugSymbolProvider2 *This);
    // ICorDebugSymbolProvider2
    HRESULT (*GetGenericDictionaryInfo)(
        ICorDebugSymbolProvider2 *This,
        ICorDebugMemoryBuffer **ppMemoryBuffer);
    HRESULT (*GetFrameProps)(
        ICorDebugSymbolProvider2 *This,
        ULONG32 codeRva,
        ULONG32 *pCodeStartRva,
        ULONG32 *pParentFrameStartRva);
} ICorDebugSymbolProvider2Vtbl;
struct ICorDebugSymbolProvider2 { const ICorDebugSymbolProvider2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugSymbolProvider2;

// ICorDebugVirtualUnwinder: 5 slots (IUnknown 3 + ICorDebugVirtualUnwinder 2)
typedef struct ICorDebugVirtualUnwinderVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugVirtualUnwinder *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugVirtualUnwinder *This);
    ULONG (*Release)(ICorDebugVirtualUnwinder *This);
    // ICorDebugVirtualUnwinder
    HRESULT (*GetContext)(
        ICorDebugVirtualUnwinder *This,
        ULONG32 contextFlags,
        ULONG32 cbContextBuf,
        ULONG32 *contextSize,
        BYTE contextBuf[]);
    HRESULT (*Next)(ICorDebugVirtualUnwinder *This);
} ICorDebugVirtualUnwinderVtbl;
struct ICorDebugVirtualUnwinder { const ICorDebugVirtualUnwinderVtbl *lpVtbl; };
extern const IID IID_ICorDebugVirtualUnwinder;

// ICorDebugDataTarget2: 8 slots (IUnknown 3 + ICorDebugDataTarget2 5)
typedef struct ICorDebugDataTarget2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugDataTarget2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugDataTarget2 *This);
    ULONG (*Release)(ICorDebugDataTarget2 *This);
    // ICorDebugDataTarget2
    HRESULT (*GetImageFromPointer)(
        ICorDebugDataTarget2 *This,
        CORDB_ADDRESS addr,
        CORDB_ADDRESS *pImageBase,
        ULONG32 *pSize);
    HRESULT (*GetImageLocation)(
        ICorDebugDataTarget2 *This,
        CORDB_ADDRESS baseAddress,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetSymbolProviderForImage)(
        ICorDebugDataTarget2 *This,
        CORDB_ADDRESS imageBaseAddress,
        ICorDebugSymbolProvider **ppSymProvider);
    HRESULT (*EnumerateThreadIDs)(
        ICorDebugDataTarget2 *This,
        ULONG32 cThreadIds,
        ULONG32 *pcThreadIds,
        ULONG32 pThreadIds[]);
    HRESULT (*CreateVirtualUnwinder)(
        ICorDebugDataTarget2 *This,
        DWORD nativeThreadID,
        ULONG32 contextFlags,
        ULONG32 cbContext,
        BYTE initialContext[],
        ICorDebugVirtualUnwinder **ppUnwinder);
} ICorDebugDataTarget2Vtbl;
struct ICorDebugDataTarget2 { const ICorDebugDataTarget2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugDataTarget2;

// ICorDebugLoadedModule: 6 slots (IUnknown 3 + ICorDebugLoadedModule 3)
typedef struct ICorDebugLoadedModuleVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugLoadedModule *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugLoadedModule *This);
    ULONG (*Release)(ICorDebugLoadedModule *This);
    // ICorDebugLoadedModule
    HRESULT (*GetBaseAddress)(ICorDebugLoadedModule *This, CORDB_ADDRESS *pAddress);
    HRESULT (*GetName)(
        ICorDebugLoadedModule *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetSize)(ICorDebugLoadedModule *This, ULONG32 *pcBytes);
} ICorDebugLoadedModuleVtbl;
struct ICorDebugLoadedModule { const ICorDebugLoadedModuleVtbl *lpVtbl; };
extern const IID IID_ICorDebugLoadedModule;

// ICorDebugDataTarget3: 4 slots (IUnknown 3 + ICorDebugDataTarget3 1)
typedef struct ICorDebugDataTarget3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugDataTarget3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugDataTarget3 *This);
    ULONG (*Release)(ICorDebugDataTarget3 *This);
    // ICorDebugDataTarget3
    HRESULT (*GetLoadedModules)(
        ICorDebugDataTarget3 *This,
        ULONG32 cRequestedModules,
        ULONG32 *pcFetchedModules,
        ICorDebugLoadedModule *pLoadedModules[]);
} ICorDebugDataTarget3Vtbl;
struct ICorDebugDataTarget3 { const ICorDebugDataTarget3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugDataTarget3;

// ICorDebugDataTarget4: 4 slots (IUnknown 3 + ICorDebugDataTarget4 1)
typedef struct ICorDebugDataTarget4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugDataTarget4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugDataTarget4 *This);
    ULONG (*Release)(ICorDebugDataTarget4 *This);
    // ICorDebugDataTarget4
    HRESULT (*VirtualUnwind)(
        ICorDebugDataTarget4 *This,
        DWORD threadId,
        ULONG32 contextSize,
        BYTE *context);
} ICorDebugDataTarget4Vtbl;
struct ICorDebugDataTarget4 { const ICorDebugDataTarget4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugDataTarget4;

// ICorDebugMutableDataTarget: 9 slots (IUnknown 3 + ICorDebugDataTarget 3 + ICorDebugMutableDataTarget 3)
typedef struct ICorDebugMutableDataTargetVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugMutableDataTarget *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugMutableDataTarget *This);
    ULONG (*Release)(ICorDebugMutableDataTarget *This);
    // ICorDebugDataTarget
    HRESULT (*GetPlatform)(ICorDebugMutableDataTarget *This, CorDebugPlatform *pTargetPlatform);
    HRESULT (*ReadVirtual)(
        ICorDebugMutableDataTarget *This,
        CORDB_ADDRESS address,
        BYTE *pBuffer,
        ULONG32 bytesRequested,
        ULONG32 *pBytesRead);
    HRESULT (*GetThreadContext)(
        ICorDebugMutableDataTarget *This,
        DWORD dwThreadID,
        ULONG32 contextFlags,
        ULONG32 contextSize,
        BYTE *pContext);
    // ICorDebugMutableDataTarget
    HRESULT (*WriteVirtual)(
        ICorDebugMutableDataTarget *This,
        CORDB_ADDRESS address,
        const BYTE *pBuffer,
        ULONG32 bytesRequested);
    HRESULT (*SetThreadContext)(
        ICorDebugMutableDataTarget *This,
        DWORD dwThreadID,
        ULONG32 contextSize,
        const BYTE *pContext);
    HRESULT (*ContinueStatusChanged)(
        ICorDebugMutableDataTarget *This,
        DWORD dwThreadId,
        CORDB_CONTINUE_STATUS continueStatus);
} ICorDebugMutableDataTargetVtbl;
struct ICorDebugMutableDataTarget { const ICorDebugMutableDataTargetVtbl *lpVtbl; };
extern const IID IID_ICorDebugMutableDataTarget;

// ICorDebugMetaDataLocator: 4 slots (IUnknown 3 + ICorDebugMetaDataLocator 1)
typedef struct ICorDebugMetaDataLocatorVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugMetaDataLocator *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugMetaDataLocator *This);
    ULONG (*Release)(ICorDebugMetaDataLocator *This);
    // ICorDebugMetaDataLocator
    HRESULT (*GetMetaData)(
        ICorDebugMetaDataLocator *This,
        LPCWSTR wszImagePath,
        DWORD dwImageTimeStamp,
        DWORD dwImageSize,
        ULONG32 cchPathBuffer,
        ULONG32 *pcchPathBuffer,
        WCHAR wszPathBuffer[]);
} ICorDebugMetaDataLocatorVtbl;
struct ICorDebugMetaDataLocator { const ICorDebugMetaDataLocatorVtbl *lpVtbl; };
extern const IID IID_ICorDebugMetaDataLocator;

// ICorDebugManagedCallback: 29 slots (IUnknown 3 + ICorDebugManagedCallback 26)
typedef struct ICorDebugManagedCallbackVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugManagedCallback *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugManagedCallback *This);
    ULONG (*Release)(ICorDebugManagedCallback *This);
    // ICorDebugManagedCallback
    HRESULT (*Breakpoint)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugBreakpoint *pBreakpoint);
    HRESULT (*StepComplete)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugStepper *pStepper,
        CorDebugStepReason reason);
    HRESULT (*Break)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *thread);
    HRESULT (*Exception)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        BOOL unhandled);
    HRESULT (*EvalComplete)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugEval *pEval);
    HRESULT (*EvalException)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugEval *pEval);
    HRESULT (*CreateProcess)(ICorDebugManagedCallback *This, ICorDebugProcess *pProcess);
    HRESULT (*ExitProcess)(ICorDebugManagedCallback *This, ICorDebugProcess *pProcess);
    HRESULT (*CreateThread)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *thread);
    HRESULT (*ExitThread)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *thread);
    HRESULT (*LoadModule)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugModule *pModule);
    HRESULT (*UnloadModule)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugModule *pModule);
    HRESULT (*LoadClass)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugClass *c);
    HRESULT (*UnloadClass)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugClass *c);
    HRESULT (*DebuggerError)(
        ICorDebugManagedCallback *This,
        ICorDebugProcess *pProcess,
        HRESULT errorHR,
        DWORD errorCode);
    HRESULT (*LogMessage)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        LONG lLevel,
        WCHAR *pLogSwitchName,
        WCHAR *pMessage);
    HRESULT (*LogSwitch)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        LONG lLevel,
        ULONG ulReason,
        WCHAR *pLogSwitchName,
        WCHAR *pParentName);
    HRESULT (*CreateAppDomain)(
        ICorDebugManagedCallback *This,
        ICorDebugProcess *pProcess,
        ICorDebugAppDomain *pAppDomain);
    HRESULT (*ExitAppDomain)(
        ICorDebugManagedCallback *This,
        ICorDebugProcess *pProcess,
        ICorDebugAppDomain *pAppDomain);
    HRESULT (*LoadAssembly)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugAssembly *pAssembly);
    HRESULT (*UnloadAssembly)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugAssembly *pAssembly);
    HRESULT (*ControlCTrap)(ICorDebugManagedCallback *This, ICorDebugProcess *pProcess);
    HRESULT (*NameChange)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread);
    HRESULT (*UpdateModuleSymbols)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugModule *pModule,
        IStream *pSymbolStream);
    HRESULT (*EditAndContinueRemap)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugFunction *pFunction,
        BOOL fAccurate);
    HRESULT (*BreakpointSetError)(
        ICorDebugManagedCallback *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugBreakpoint *pBreakpoint,
        DWORD dwError);
} ICorDebugManagedCallbackVtbl;
struct ICorDebugManagedCallback { const ICorDebugManagedCallbackVtbl *lpVtbl; };
extern const IID IID_ICorDebugManagedCallback;

// ICorDebugManagedCallback3: 4 slots (IUnknown 3 + ICorDebugManagedCallback3 1)
typedef struct ICorDebugManagedCallback3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugManagedCallback3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugManagedCallback3 *This);
    ULONG (*Release)(ICorDebugManagedCallback3 *This);
    // ICorDebugManagedCallback3
    HRESULT (*CustomNotification)(
        ICorDebugManagedCallback3 *This,
        ICorDebugThread *pThread,
        ICorDebugAppDomain *pAppDomain);
} ICorDebugManagedCallback3Vtbl;
struct ICorDebugManagedCallback3 { const ICorDebugManagedCallback3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugManagedCallback3;

// ICorDebugManagedCallback4: 6 slots (IUnknown 3 + ICorDebugManagedCallback4 3)
typedef struct ICorDebugManagedCallback4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugManagedCallback4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugManagedCallback4 *This);
    ULONG (*Release)(ICorDebugManagedCallback4 *This);
    // ICorDebugManagedCallback4
    HRESULT (*BeforeGarbageCollection)(ICorDebugManagedCallback4 *This, ICorDebugProcess *pProcess);
    HRESULT (*AfterGarbageCollection)(ICorDebugManagedCallback4 *This, ICorDebugProcess *pProcess);
    HRESULT (*DataBreakpoint)(
        ICorDebugManagedCallback4 *This,
        ICorDebugProcess *pProcess,
        ICorDebugThread *pThread,
        BYTE *pContext,
        ULONG32 contextSize);
} ICorDebugManagedCallback4Vtbl;
struct ICorDebugManagedCallback4 { const ICorDebugManagedCallback4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugManagedCallback4;

// ICorDebugManagedCallback2: 11 slots (IUnknown 3 + ICorDebugManagedCallback2 8)
typedef struct ICorDebugManagedCallback2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugManagedCallback2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugManagedCallback2 *This);
    ULONG (*Release)(ICorDebugManagedCallback2 *This);
    // ICorDebugManagedCallback2
    HRESULT (*FunctionRemapOpportunity)(
        ICorDebugManagedCallback2 *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugFunction *pOldFunction,
        ICorDebugFunction *pNewFunction,
        ULONG32 oldILOffset);
    HRESULT (*CreateConnection)(
        ICorDebugManagedCallback2 *This,
        ICorDebugProcess *pProcess,
        CONNID dwConnectionId,
        WCHAR *pConnName);
    HRESULT (*ChangeConnection)(
        ICorDebugManagedCallback2 *This,
        ICorDebugProcess *pProcess,
        CONNID dwConnectionId);
    HRESULT (*DestroyConnection)(
        ICorDebugManagedCallback2 *This,
        ICorDebugProcess *pProcess,
        CONNID dwConnectionId);
    HRESULT (*Exception)(
        ICorDebugManagedCallback2 *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugFrame *pFrame,
        ULONG32 nOffset,
        CorDebugExceptionCallbackType dwEventType,
        DWORD dwFlags);
    HRESULT (*ExceptionUnwind)(
        ICorDebugManagedCallback2 *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        CorDebugExceptionUnwindCallbackType dwEventType,
        DWORD dwFlags);
    HRESULT (*FunctionRemapComplete)(
        ICorDebugManagedCallback2 *This,
        ICorDebugAppDomain *pAppDomain,
        ICorDebugThread *pThread,
        ICorDebugFunction *pFunction);
    HRESULT (*MDANotification)(
        ICorDebugManagedCallback2 *This,
        ICorDebugController *pController,
        ICorDebugThread *pThread,
        ICorDebugMDA *pMDA);
} ICorDebugManagedCallback2Vtbl;
struct ICorDebugManagedCallback2 { const ICorDebugManagedCallback2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugManagedCallback2;

// ICorDebugUnmanagedCallback: 4 slots (IUnknown 3 + ICorDebugUnmanagedCallback 1)
typedef struct ICorDebugUnmanagedCallbackVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugUnmanagedCallback *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugUnmanagedCallback *This);
    ULONG (*Release)(ICorDebugUnmanagedCallback *This);
    // ICorDebugUnmanagedCallback
    HRESULT (*DebugEvent)(
        ICorDebugUnmanagedCallback *This,
        LPDEBUG_EVENT pDebugEvent,
        BOOL fOutOfBand);
} ICorDebugUnmanagedCallbackVtbl;
struct ICorDebugUnmanagedCallback { const ICorDebugUnmanagedCallbackVtbl *lpVtbl; };
extern const IID IID_ICorDebugUnmanagedCallback;

// ICorDebug: 12 slots (IUnknown 3 + ICorDebug 9)
typedef struct ICorDebugVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebug *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebug *This);
    ULONG (*Release)(ICorDebug *This);
    // ICorDebug
    HRESULT (*Initialize)(ICorDebug *This);
    HRESULT (*Terminate)(ICorDebug *This);
    HRESULT (*SetManagedHandler)(ICorDebug *This, ICorDebugManagedCallback *pCallback);
    HRESULT (*SetUnmanagedHandler)(ICorDebug *This, ICorDebugUnmanagedCallback *pCallback);
    HRESULT (*CreateProcess)(
        ICorDebug *This,
        LPCWSTR lpApplicationName,
        LPWSTR lpCommandLine,
        LPSECURITY_ATTRIBUTES lpProcessAttributes,
        LPSECURITY_ATTRIBUTES lpThreadAttributes,
        BOOL bInheritHandles,
        DWORD dwCreationFlags,
        PVOID lpEnvironment,
        LPCWSTR lpCurrentDirectory,
        LPSTARTUPINFOW lpStartupInfo,
        LPPROCESS_INFORMATION lpProcessInformation,
        CorDebugCreateProcessFlags debuggingFlags,
        ICorDebugProcess **ppProcess);
    HRESULT (*DebugActiveProcess)(
        ICorDebug *This,
        DWORD id,
        BOOL win32Attach,
        ICorDebugProcess **ppProcess);
    HRESULT (*EnumerateProcesses)(ICorDebug *This, ICorDebugProcessEnum **ppProcess);
    HRESULT (*GetProcess)(ICorDebug *This, DWORD dwProcessId, ICorDebugProcess **ppProcess);
    HRESULT (*CanLaunchOrAttach)(ICorDebug *This, DWORD dwProcessId, BOOL win32DebuggingEnabled);
} ICorDebugVtbl;
struct ICorDebug { const ICorDebugVtbl *lpVtbl; };
extern const IID IID_ICorDebug;

// ICorDebugRemoteTarget: 4 slots (IUnknown 3 + ICorDebugRemoteTarget 1)
typedef struct ICorDebugRemoteTargetVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugRemoteTarget *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugRemoteTarget *This);
    ULONG (*Release)(ICorDebugRemoteTarget *This);
    // ICorDebugRemoteTarget
    HRESULT (*GetHostName)(
        ICorDebugRemoteTarget *This,
        ULONG32 cchHostName,
        ULONG32 *pcchHostName,
        WCHAR szHostName[]);
} ICorDebugRemoteTargetVtbl;
struct ICorDebugRemoteTarget { const ICorDebugRemoteTargetVtbl *lpVtbl; };
extern const IID IID_ICorDebugRemoteTarget;

// ICorDebugRemote: 5 slots (IUnknown 3 + ICorDebugRemote 2)
typedef struct ICorDebugRemoteVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugRemote *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugRemote *This);
    ULONG (*Release)(ICorDebugRemote *This);
    // ICorDebugRemote
    HRESULT (*CreateProcessEx)(
        ICorDebugRemote *This,
        ICorDebugRemoteTarget *pRemoteTarget,
        LPCWSTR lpApplicationName,
        LPWSTR lpCommandLine,
        LPSECURITY_ATTRIBUTES lpProcessAttributes,
        LPSECURITY_ATTRIBUTES lpThreadAttributes,
        BOOL bInheritHandles,
        DWORD dwCreationFlags,
        PVOID lpEnvironment,
        LPCWSTR lpCurrentDirectory,
        LPSTARTUPINFOW lpStartupInfo,
        LPPROCESS_INFORMATION lpProcessInformation,
        CorDebugCreateProcessFlags debuggingFlags,
        ICorDebugProcess **ppProcess);
    HRESULT (*DebugActiveProcessEx)(
        ICorDebugRemote *This,
        ICorDebugRemoteTarget *pRemoteTarget,
        DWORD dwProcessId,
        BOOL fWin32Attach,
        ICorDebugProcess **ppProcess);
} ICorDebugRemoteVtbl;
struct ICorDebugRemote { const ICorDebugRemoteVtbl *lpVtbl; };
extern const IID IID_ICorDebugRemote;

// ICorDebug2: 3 slots (IUnknown 3 + ICorDebug2 0)
typedef struct ICorDebug2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebug2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebug2 *This);
    ULONG (*Release)(ICorDebug2 *This);
    // ICorDebug2
} ICorDebug2Vtbl;
struct ICorDebug2 { const ICorDebug2Vtbl *lpVtbl; };
extern const IID IID_ICorDebug2;

// ICorDebugController: 13 slots (IUnknown 3 + ICorDebugController 10)
typedef struct ICorDebugControllerVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugController *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugController *This);
    ULONG (*Release)(ICorDebugController *This);
    // ICorDebugController
    HRESULT (*Stop)(ICorDebugController *This, DWORD dwTimeoutIgnored);
    HRESULT (*Continue)(ICorDebugController *This, BOOL fIsOutOfBand);
    HRESULT (*IsRunning)(ICorDebugController *This, BOOL *pbRunning);
    HRESULT (*HasQueuedCallbacks)(
        ICorDebugController *This,
        ICorDebugThread *pThread,
        BOOL *pbQueued);
    HRESULT (*EnumerateThreads)(ICorDebugController *This, ICorDebugThreadEnum **ppThreads);
    HRESULT (*SetAllThreadsDebugState)(
        ICorDebugController *This,
        CorDebugThreadState state,
        ICorDebugThread *pExceptThisThread);
    HRESULT (*Detach)(ICorDebugController *This);
    HRESULT (*Terminate)(ICorDebugController *This, UINT exitCode);
    HRESULT (*CanCommitChanges)(
        ICorDebugController *This,
        ULONG cSnapshots,
        ICorDebugEditAndContinueSnapshot *pSnapshots[],
        ICorDebugErrorInfoEnum **pError);
    HRESULT (*CommitChanges)(
        ICorDebugController *This,
        ULONG cSnapshots,
        ICorDebugEditAndContinueSnapshot *pSnapshots[],
        ICorDebugErrorInfoEnum **pError);
} ICorDebugControllerVtbl;
struct ICorDebugController { const ICorDebugControllerVtbl *lpVtbl; };
extern const IID IID_ICorDebugController;

// ICorDebugAppDomain: 23 slots (IUnknown 3 + ICorDebugController 10 + ICorDebugAppDomain 10)
typedef struct ICorDebugAppDomainVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAppDomain *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAppDomain *This);
    ULONG (*Release)(ICorDebugAppDomain *This);
    // ICorDebugController
    HRESULT (*Stop)(ICorDebugAppDomain *This, DWORD dwTimeoutIgnored);
    HRESULT (*Continue)(ICorDebugAppDomain *This, BOOL fIsOutOfBand);
    HRESULT (*IsRunning)(ICorDebugAppDomain *This, BOOL *pbRunning);
    HRESULT (*HasQueuedCallbacks)(
        ICorDebugAppDomain *This,
        ICorDebugThread *pThread,
        BOOL *pbQueued);
    HRESULT (*EnumerateThreads)(ICorDebugAppDomain *This, ICorDebugThreadEnum **ppThreads);
    HRESULT (*SetAllThreadsDebugState)(
        ICorDebugAppDomain *This,
        CorDebugThreadState state,
        ICorDebugThread *pExceptThisThread);
    HRESULT (*Detach)(ICorDebugAppDomain *This);
    HRESULT (*Terminate)(ICorDebugAppDomain *This, UINT exitCode);
    HRESULT (*CanCommitChanges)(
        ICorDebugAppDomain *This,
        ULONG cSnapshots,
        ICorDebugEditAndContinueSnapshot *pSnapshots[],
        ICorDebugErrorInfoEnum **pError);
    HRESULT (*CommitChanges)(
        ICorDebugAppDomain *This,
        ULONG cSnapshots,
        ICorDebugEditAndContinueSnapshot *pSnapshots[],
        ICorDebugErrorInfoEnum **pError);
    // ICorDebugAppDomain
    HRESULT (*GetProcess)(ICorDebugAppDomain *This, ICorDebugProcess **ppProcess);
    HRESULT (*EnumerateAssemblies)(ICorDebugAppDomain *This, ICorDebugAssemblyEnum **ppAssemblies);
    HRESULT (*GetModuleFromMetaDataInterface)(
        ICorDebugAppDomain *This,
        IUnknown *pIMetaData,
        ICorDebugModule **ppModule);
    HRESULT (*EnumerateBreakpoints)(
        ICorDebugAppDomain *This,
        ICorDebugBreakpointEnum **ppBreakpoints);
    HRESULT (*EnumerateSteppers)(ICorDebugAppDomain *This, ICorDebugStepperEnum **ppSteppers);
    HRESULT (*IsAttached)(ICorDebugAppDomain *This, BOOL *pbAttached);
    HRESULT (*GetName)(
        ICorDebugAppDomain *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetObject)(ICorDebugAppDomain *This, ICorDebugValue **ppObject);
    HRESULT (*Attach)(ICorDebugAppDomain *This);
    HRESULT (*GetID)(ICorDebugAppDomain *This, ULONG32 *pId);
} ICorDebugAppDomainVtbl;
struct ICorDebugAppDomain { const ICorDebugAppDomainVtbl *lpVtbl; };
extern const IID IID_ICorDebugAppDomain;

// ICorDebugAppDomain2: 5 slots (IUnknown 3 + ICorDebugAppDomain2 2)
typedef struct ICorDebugAppDomain2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAppDomain2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAppDomain2 *This);
    ULONG (*Release)(ICorDebugAppDomain2 *This);
    // ICorDebugAppDomain2
    HRESULT (*GetArrayOrPointerType)(
        ICorDebugAppDomain2 *This,
        CorElementType elementType,
        ULONG32 nRank,
        ICorDebugType *pTypeArg,
        ICorDebugType **ppType);
    HRESULT (*GetFunctionPointerType)(
        ICorDebugAppDomain2 *This,
        ULONG32 nTypeArgs,
        ICorDebugType *ppTypeArgs[],
        ICorDebugType **ppType);
} ICorDebugAppDomain2Vtbl;
struct ICorDebugAppDomain2 { const ICorDebugAppDomain2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugAppDomain2;

// ICorDebugGuidToTypeEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugGuidToTypeEnum 1)
typedef struct ICorDebugGuidToTypeEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugGuidToTypeEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugGuidToTypeEnum *This);
    ULONG (*Release)(ICorDebugGuidToTypeEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugGuidToTypeEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugGuidToTypeEnum *This);
    HRESULT (*Clone)(ICorDebugGuidToTypeEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugGuidToTypeEnum *This, ULONG *pcelt);
    // ICorDebugGuidToTypeEnum
    HRESULT (*Next)(
        ICorDebugGuidToTypeEnum *This,
        ULONG celt,
        CorDebugGuidToTypeMapping values[],
        ULONG *pceltFetched);
} ICorDebugGuidToTypeEnumVtbl;
struct ICorDebugGuidToTypeEnum { const ICorDebugGuidToTypeEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugGuidToTypeEnum;

// ICorDebugAppDomain3: 5 slots (IUnknown 3 + ICorDebugAppDomain3 2)
typedef struct ICorDebugAppDomain3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAppDomain3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAppDomain3 *This);
    ULONG (*Release)(ICorDebugAppDomain3 *This);
    // ICorDebugAppDomain3
    HRESULT (*GetCachedWinRTTypesForIIDs)(
        ICorDebugAppDomain3 *This,
        ULONG32 cReqTypes,
        GUID *iidsToResolve,
        ICorDebugTypeEnum **ppTypesEnum);
    HRESULT (*GetCachedWinRTTypes)(
        ICorDebugAppDomain3 *This,
        ICorDebugGuidToTypeEnum **ppGuidToTypeEnum);
} ICorDebugAppDomain3Vtbl;
struct ICorDebugAppDomain3 { const ICorDebugAppDomain3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugAppDomain3;

// ICorDebugAppDomain4: 4 slots (IUnknown 3 + ICorDebugAppDomain4 1)
typedef struct ICorDebugAppDomain4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAppDomain4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAppDomain4 *This);
    ULONG (*Release)(ICorDebugAppDomain4 *This);
    // ICorDebugAppDomain4
    HRESULT (*GetObjectForCCW)(
        ICorDebugAppDomain4 *This,
        CORDB_ADDRESS ccwPointer,
        ICorDebugValue **ppManagedObject);
} ICorDebugAppDomain4Vtbl;
struct ICorDebugAppDomain4 { const ICorDebugAppDomain4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugAppDomain4;

// ICorDebugAssembly: 8 slots (IUnknown 3 + ICorDebugAssembly 5)
typedef struct ICorDebugAssemblyVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAssembly *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAssembly *This);
    ULONG (*Release)(ICorDebugAssembly *This);
    // ICorDebugAssembly
    HRESULT (*GetProcess)(ICorDebugAssembly *This, ICorDebugProcess **ppProcess);
    HRESULT (*GetAppDomain)(ICorDebugAssembly *This, ICorDebugAppDomain **ppAppDomain);
    HRESULT (*EnumerateModules)(ICorDebugAssembly *This, ICorDebugModuleEnum **ppModules);
    HRESULT (*GetCodeBase)(
        ICorDebugAssembly *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetName)(ICorDebugAssembly *This, ULONG32 cchName, ULONG32 *pcchName, WCHAR szName[]);
} ICorDebugAssemblyVtbl;
struct ICorDebugAssembly { const ICorDebugAssemblyVtbl *lpVtbl; };
extern const IID IID_ICorDebugAssembly;

// ICorDebugAssembly2: 4 slots (IUnknown 3 + ICorDebugAssembly2 1)
typedef struct ICorDebugAssembly2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAssembly2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAssembly2 *This);
    ULONG (*Release)(ICorDebugAssembly2 *This);
    // ICorDebugAssembly2
    HRESULT (*IsFullyTrusted)(ICorDebugAssembly2 *This, BOOL *pbFullyTrusted);
} ICorDebugAssembly2Vtbl;
struct ICorDebugAssembly2 { const ICorDebugAssembly2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugAssembly2;

// ICorDebugAssembly3: 5 slots (IUnknown 3 + ICorDebugAssembly3 2)
typedef struct ICorDebugAssembly3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAssembly3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAssembly3 *This);
    ULONG (*Release)(ICorDebugAssembly3 *This);
    // ICorDebugAssembly3
    HRESULT (*GetContainerAssembly)(ICorDebugAssembly3 *This, ICorDebugAssembly **ppAssembly);
    HRESULT (*EnumerateContainedAssemblies)(
        ICorDebugAssembly3 *This,
        ICorDebugAssemblyEnum **ppAssemblies);
} ICorDebugAssembly3Vtbl;
struct ICorDebugAssembly3 { const ICorDebugAssembly3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugAssembly3;

// ICorDebugHeapEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugHeapEnum 1)
typedef struct ICorDebugHeapEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHeapEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHeapEnum *This);
    ULONG (*Release)(ICorDebugHeapEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugHeapEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugHeapEnum *This);
    HRESULT (*Clone)(ICorDebugHeapEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugHeapEnum *This, ULONG *pcelt);
    // ICorDebugHeapEnum
    HRESULT (*Next)(
        ICorDebugHeapEnum *This,
        ULONG celt,
        COR_HEAPOBJECT objects[],
        ULONG *pceltFetched);
} ICorDebugHeapEnumVtbl;
struct ICorDebugHeapEnum { const ICorDebugHeapEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugHeapEnum;

// ICorDebugHeapSegmentEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugHeapSegmentEnum 1)
typedef struct ICorDebugHeapSegmentEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHeapSegmentEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHeapSegmentEnum *This);
    ULONG (*Release)(ICorDebugHeapSegmentEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugHeapSegmentEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugHeapSegmentEnum *This);
    HRESULT (*Clone)(ICorDebugHeapSegmentEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugHeapSegmentEnum *This, ULONG *pcelt);
    // ICorDebugHeapSegmentEnum
    HRESULT (*Next)(
        ICorDebugHeapSegmentEnum *This,
        ULONG celt,
        COR_SEGMENT segments[],
        ULONG *pceltFetched);
} ICorDebugHeapSegmentEnumVtbl;
struct ICorDebugHeapSegmentEnum { const ICorDebugHeapSegmentEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugHeapSegmentEnum;

// ICorDebugGCReferenceEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugGCReferenceEnum 1)
typedef struct ICorDebugGCReferenceEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugGCReferenceEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugGCReferenceEnum *This);
    ULONG (*Release)(ICorDebugGCReferenceEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugGCReferenceEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugGCReferenceEnum *This);
    HRESULT (*Clone)(ICorDebugGCReferenceEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugGCReferenceEnum *This, ULONG *pcelt);
    // ICorDebugGCReferenceEnum
    HRESULT (*Next)(
        ICorDebugGCReferenceEnum *This,
        ULONG celt,
        COR_GC_REFERENCE roots[],
        ULONG *pceltFetched);
} ICorDebugGCReferenceEnumVtbl;
struct ICorDebugGCReferenceEnum { const ICorDebugGCReferenceEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugGCReferenceEnum;

// ICorDebugProcess: 30 slots (IUnknown 3 + ICorDebugController 10 + ICorDebugProcess 17)
typedef struct ICorDebugProcessVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess *This);
    ULONG (*Release)(ICorDebugProcess *This);
    // ICorDebugController
    HRESULT (*Stop)(ICorDebugProcess *This, DWORD dwTimeoutIgnored);
    HRESULT (*Continue)(ICorDebugProcess *This, BOOL fIsOutOfBand);
    HRESULT (*IsRunning)(ICorDebugProcess *This, BOOL *pbRunning);
    HRESULT (*HasQueuedCallbacks)(ICorDebugProcess *This, ICorDebugThread *pThread, BOOL *pbQueued);
    HRESULT (*EnumerateThreads)(ICorDebugProcess *This, ICorDebugThreadEnum **ppThreads);
    HRESULT (*SetAllThreadsDebugState)(
        ICorDebugProcess *This,
        CorDebugThreadState state,
        ICorDebugThread *pExceptThisThread);
    HRESULT (*Detach)(ICorDebugProcess *This);
    HRESULT (*Terminate)(ICorDebugProcess *This, UINT exitCode);
    HRESULT (*CanCommitChanges)(
        ICorDebugProcess *This,
        ULONG cSnapshots,
        ICorDebugEditAndContinueSnapshot *pSnapshots[],
        ICorDebugErrorInfoEnum **pError);
    HRESULT (*CommitChanges)(
        ICorDebugProcess *This,
        ULONG cSnapshots,
        ICorDebugEditAndContinueSnapshot *pSnapshots[],
        ICorDebugErrorInfoEnum **pError);
    // ICorDebugProcess
    HRESULT (*GetID)(ICorDebugProcess *This, DWORD *pdwProcessId);
    HRESULT (*GetHandle)(ICorDebugProcess *This, HPROCESS *phProcessHandle);
    HRESULT (*GetThread)(ICorDebugProcess *This, DWORD dwThreadId, ICorDebugThread **ppThread);
    HRESULT (*EnumerateObjects)(ICorDebugProcess *This, ICorDebugObjectEnum **ppObjects);
    HRESULT (*IsTransitionStub)(
        ICorDebugProcess *This,
        CORDB_ADDRESS address,
        BOOL *pbTransitionStub);
    HRESULT (*IsOSSuspended)(ICorDebugProcess *This, DWORD threadID, BOOL *pbSuspended);
    HRESULT (*GetThreadContext)(
        ICorDebugProcess *This,
        DWORD threadID,
        ULONG32 contextSize,
        BYTE context[]);
    HRESULT (*SetThreadContext)(
        ICorDebugProcess *This,
        DWORD threadID,
        ULONG32 contextSize,
        BYTE context[]);
    HRESULT (*ReadMemory)(
        ICorDebugProcess *This,
        CORDB_ADDRESS address,
        DWORD size,
        BYTE buffer[],
        SIZE_T *read);
    HRESULT (*WriteMemory)(
        ICorDebugProcess *This,
        CORDB_ADDRESS address,
        DWORD size,
        BYTE buffer[],
        SIZE_T *written);
    HRESULT (*ClearCurrentException)(ICorDebugProcess *This, DWORD threadID);
    HRESULT (*EnableLogMessages)(ICorDebugProcess *This, BOOL fOnOff);
    HRESULT (*ModifyLogSwitch)(ICorDebugProcess *This, WCHAR *pLogSwitchName, LONG lLevel);
    HRESULT (*EnumerateAppDomains)(ICorDebugProcess *This, ICorDebugAppDomainEnum **ppAppDomains);
    HRESULT (*GetObject)(ICorDebugProcess *This, ICorDebugValue **ppObject);
    HRESULT (*ThreadForFiberCookie)(
        ICorDebugProcess *This,
        DWORD fiberCookie,
        ICorDebugThread **ppThread);
    HRESULT (*GetHelperThreadID)(ICorDebugProcess *This, DWORD *pThreadID);
} ICorDebugProcessVtbl;
struct ICorDebugProcess { const ICorDebugProcessVtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess;

// ICorDebugProcess2: 10 slots (IUnknown 3 + ICorDebugProcess2 7)
typedef struct ICorDebugProcess2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess2 *This);
    ULONG (*Release)(ICorDebugProcess2 *This);
    // ICorDebugProcess2
    HRESULT (*GetThreadForTaskID)(
        ICorDebugProcess2 *This,
        TASKID taskid,
        ICorDebugThread2 **ppThread);
    HRESULT (*GetVersion)(ICorDebugProcess2 *This, COR_VERSION *version);
    HRESULT (*SetUnmanagedBreakpoint)(
        ICorDebugProcess2 *This,
        CORDB_ADDRESS address,
        ULONG32 bufsize,
        BYTE buffer[],
        ULONG32 *bufLen);
    HRESULT (*ClearUnmanagedBreakpoint)(ICorDebugProcess2 *This, CORDB_ADDRESS address);
    HRESULT (*SetDesiredNGENCompilerFlags)(ICorDebugProcess2 *This, DWORD pdwFlags);
    HRESULT (*GetDesiredNGENCompilerFlags)(ICorDebugProcess2 *This, DWORD *pdwFlags);
    HRESULT (*GetReferenceValueFromGCHandle)(
        ICorDebugProcess2 *This,
        UINT_PTR handle,
        ICorDebugReferenceValue **pOutValue);
} ICorDebugProcess2Vtbl;
struct ICorDebugProcess2 { const ICorDebugProcess2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess2;

// ICorDebugProcess3: 4 slots (IUnknown 3 + ICorDebugProcess3 1)
typedef struct ICorDebugProcess3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess3 *This);
    ULONG (*Release)(ICorDebugProcess3 *This);
    // ICorDebugProcess3
    HRESULT (*SetEnableCustomNotification)(
        ICorDebugProcess3 *This,
        ICorDebugClass *pClass,
        BOOL fEnable);
} ICorDebugProcess3Vtbl;
struct ICorDebugProcess3 { const ICorDebugProcess3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess3;

// ICorDebugProcess5: 15 slots (IUnknown 3 + ICorDebugProcess5 12)
typedef struct ICorDebugProcess5Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess5 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess5 *This);
    ULONG (*Release)(ICorDebugProcess5 *This);
    // ICorDebugProcess5
    HRESULT (*GetGCHeapInformation)(ICorDebugProcess5 *This, COR_HEAPINFO *pHeapInfo);
    HRESULT (*EnumerateHeap)(ICorDebugProcess5 *This, ICorDebugHeapEnum **ppObjects);
    HRESULT (*EnumerateHeapRegions)(ICorDebugProcess5 *This, ICorDebugHeapSegmentEnum **ppRegions);
    HRESULT (*GetObject)(
        ICorDebugProcess5 *This,
        CORDB_ADDRESS addr,
        ICorDebugObjectValue **pObject);
    HRESULT (*EnumerateGCReferences)(
        ICorDebugProcess5 *This,
        BOOL enumerateWeakReferences,
        ICorDebugGCReferenceEnum **ppEnum);
    HRESULT (*EnumerateHandles)(
        ICorDebugProcess5 *This,
        CorGCReferenceType types,
        ICorDebugGCReferenceEnum **ppEnum);
    HRESULT (*GetTypeID)(ICorDebugProcess5 *This, CORDB_ADDRESS obj, COR_TYPEID *pId);
    HRESULT (*GetTypeForTypeID)(ICorDebugProcess5 *This, COR_TYPEID id, ICorDebugType **ppType);
    HRESULT (*GetArrayLayout)(ICorDebugProcess5 *This, COR_TYPEID id, COR_ARRAY_LAYOUT *pLayout);
    HRESULT (*GetTypeLayout)(ICorDebugProcess5 *This, COR_TYPEID id, COR_TYPE_LAYOUT *pLayout);
    HRESULT (*GetTypeFields)(
        ICorDebugProcess5 *This,
        COR_TYPEID id,
        ULONG32 celt,
        COR_FIELD fields[],
        ULONG32 *pceltNeeded);
    HRESULT (*EnableNGENPolicy)(ICorDebugProcess5 *This, CorDebugNGENPolicy ePolicy);
} ICorDebugProcess5Vtbl;
struct ICorDebugProcess5 { const ICorDebugProcess5Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess5;

// ICorDebugDebugEvent: 5 slots (IUnknown 3 + ICorDebugDebugEvent 2)
typedef struct ICorDebugDebugEventVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugDebugEvent *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugDebugEvent *This);
    ULONG (*Release)(ICorDebugDebugEvent *This);
    // ICorDebugDebugEvent
    HRESULT (*GetEventKind)(ICorDebugDebugEvent *This, CorDebugDebugEventKind *pDebugEventKind);
    HRESULT (*GetThread)(ICorDebugDebugEvent *This, ICorDebugThread **ppThread);
} ICorDebugDebugEventVtbl;
struct ICorDebugDebugEvent { const ICorDebugDebugEventVtbl *lpVtbl; };
extern const IID IID_ICorDebugDebugEvent;

// ICorDebugProcess6: 9 slots (IUnknown 3 + ICorDebugProcess6 6)
typedef struct ICorDebugProcess6Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess6 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess6 *This);
    ULONG (*Release)(ICorDebugProcess6 *This);
    // ICorDebugProcess6
    HRESULT (*DecodeEvent)(
        ICorDebugProcess6 *This,
        const BYTE pRecord[],
        DWORD countBytes,
        CorDebugRecordFormat format,
        DWORD dwFlags,
        DWORD dwThreadId,
        ICorDebugDebugEvent **ppEvent);
    HRESULT (*ProcessStateChanged)(ICorDebugProcess6 *This, CorDebugStateChange change);
    HRESULT (*GetCode)(ICorDebugProcess6 *This, CORDB_ADDRESS codeAddress, ICorDebugCode **ppCode);
    HRESULT (*EnableVirtualModuleSplitting)(ICorDebugProcess6 *This, BOOL enableSplitting);
    HRESULT (*MarkDebuggerAttached)(ICorDebugProcess6 *This, BOOL fIsAttached);
    HRESULT (*GetExportStepInfo)(
        ICorDebugProcess6 *This,
        LPCWSTR pszExportName,
        CorDebugCodeInvokeKind *pInvokeKind,
        CorDebugCodeInvokePurpose *pInvokePurpose);
} ICorDebugProcess6Vtbl;
struct ICorDebugProcess6 { const ICorDebugProcess6Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess6;

// ICorDebugProcess7: 4 slots (IUnknown 3 + ICorDebugProcess7 1)
typedef struct ICorDebugProcess7Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess7 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess7 *This);
    ULONG (*Release)(ICorDebugProcess7 *This);
    // ICorDebugProcess7
    HRESULT (*SetWriteableMetadataUpdateMode)(
        ICorDebugProcess7 *This,
        WriteableMetadataUpdateMode flags);
} ICorDebugProcess7Vtbl;
struct ICorDebugProcess7 { const ICorDebugProcess7Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess7;

// ICorDebugProcess8: 4 slots (IUnknown 3 + ICorDebugProcess8 1)
typedef struct ICorDebugProcess8Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess8 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess8 *This);
    ULONG (*Release)(ICorDebugProcess8 *This);
    // ICorDebugProcess8
    HRESULT (*EnableExceptionCallbacksOutsideOfMyCode)(
        ICorDebugProcess8 *This,
        BOOL enableExceptionsOutsideOfJMC);
} ICorDebugProcess8Vtbl;
struct ICorDebugProcess8 { const ICorDebugProcess8Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess8;

// ICorDebugProcess10: 4 slots (IUnknown 3 + ICorDebugProcess10 1)
typedef struct ICorDebugProcess10Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess10 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess10 *This);
    ULONG (*Release)(ICorDebugProcess10 *This);
    // ICorDebugProcess10
    HRESULT (*EnableGCNotificationEvents)(ICorDebugProcess10 *This, BOOL fEnable);
} ICorDebugProcess10Vtbl;
struct ICorDebugProcess10 { const ICorDebugProcess10Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess10;

// ICorDebugMemoryRangeEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugMemoryRangeEnum 1)
typedef struct ICorDebugMemoryRangeEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugMemoryRangeEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugMemoryRangeEnum *This);
    ULONG (*Release)(ICorDebugMemoryRangeEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugMemoryRangeEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugMemoryRangeEnum *This);
    HRESULT (*Clone)(ICorDebugMemoryRangeEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugMemoryRangeEnum *This, ULONG *pcelt);
    // ICorDebugMemoryRangeEnum
    HRESULT (*Next)(
        ICorDebugMemoryRangeEnum *This,
        ULONG celt,
        COR_MEMORY_RANGE objects[],
        ULONG *pceltFetched);
} ICorDebugMemoryRangeEnumVtbl;
struct ICorDebugMemoryRangeEnum { const ICorDebugMemoryRangeEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugMemoryRangeEnum;

// ICorDebugProcess11: 4 slots (IUnknown 3 + ICorDebugProcess11 1)
typedef struct ICorDebugProcess11Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcess11 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcess11 *This);
    ULONG (*Release)(ICorDebugProcess11 *This);
    // ICorDebugProcess11
    HRESULT (*EnumerateLoaderHeapMemoryRegions)(
        ICorDebugProcess11 *This,
        ICorDebugMemoryRangeEnum **ppRanges);
} ICorDebugProcess11Vtbl;
struct ICorDebugProcess11 { const ICorDebugProcess11Vtbl *lpVtbl; };
extern const IID IID_ICorDebugProcess11;

// ICorDebugModuleDebugEvent: 6 slots (IUnknown 3 + ICorDebugDebugEvent 2 + ICorDebugModuleDebugEvent 1)
typedef struct ICorDebugModuleDebugEventVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModuleDebugEvent *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModuleDebugEvent *This);
    ULONG (*Release)(ICorDebugModuleDebugEvent *This);
    // ICorDebugDebugEvent
    HRESULT (*GetEventKind)(
        ICorDebugModuleDebugEvent *This,
        CorDebugDebugEventKind *pDebugEventKind);
    HRESULT (*GetThread)(ICorDebugModuleDebugEvent *This, ICorDebugThread **ppThread);
    // ICorDebugModuleDebugEvent
    HRESULT (*GetModule)(ICorDebugModuleDebugEvent *This, ICorDebugModule **ppModule);
} ICorDebugModuleDebugEventVtbl;
struct ICorDebugModuleDebugEvent { const ICorDebugModuleDebugEventVtbl *lpVtbl; };
extern const IID IID_ICorDebugModuleDebugEvent;

// ICorDebugExceptionDebugEvent: 8 slots (IUnknown 3 + ICorDebugDebugEvent 2 + ICorDebugExceptionDebugEvent 3)
typedef struct ICorDebugExceptionDebugEventVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugExceptionDebugEvent *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugExceptionDebugEvent *This);
    ULONG (*Release)(ICorDebugExceptionDebugEvent *This);
    // ICorDebugDebugEvent
    HRESULT (*GetEventKind)(
        ICorDebugExceptionDebugEvent *This,
        CorDebugDebugEventKind *pDebugEventKind);
    HRESULT (*GetThread)(ICorDebugExceptionDebugEvent *This, ICorDebugThread **ppThread);
    // ICorDebugExceptionDebugEvent
    HRESULT (*GetStackPointer)(ICorDebugExceptionDebugEvent *This, CORDB_ADDRESS *pStackPointer);
    HRESULT (*GetNativeIP)(ICorDebugExceptionDebugEvent *This, CORDB_ADDRESS *pIP);
    HRESULT (*GetFlags)(ICorDebugExceptionDebugEvent *This, CorDebugExceptionFlags *pdwFlags);
} ICorDebugExceptionDebugEventVtbl;
struct ICorDebugExceptionDebugEvent { const ICorDebugExceptionDebugEventVtbl *lpVtbl; };
extern const IID IID_ICorDebugExceptionDebugEvent;

// ICorDebugBreakpoint: 5 slots (IUnknown 3 + ICorDebugBreakpoint 2)
typedef struct ICorDebugBreakpointVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugBreakpoint *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugBreakpoint *This);
    ULONG (*Release)(ICorDebugBreakpoint *This);
    // ICorDebugBreakpoint
    HRESULT (*Activate)(ICorDebugBreakpoint *This, BOOL bActive);
    HRESULT (*IsActive)(ICorDebugBreakpoint *This, BOOL *pbActive);
} ICorDebugBreakpointVtbl;
struct ICorDebugBreakpoint { const ICorDebugBreakpointVtbl *lpVtbl; };
extern const IID IID_ICorDebugBreakpoint;

// ICorDebugFunctionBreakpoint: 7 slots (IUnknown 3 + ICorDebugBreakpoint 2 + ICorDebugFunctionBreakpoint 2)
typedef struct ICorDebugFunctionBreakpointVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFunctionBreakpoint *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFunctionBreakpoint *This);
    ULONG (*Release)(ICorDebugFunctionBreakpoint *This);
    // ICorDebugBreakpoint
    HRESULT (*Activate)(ICorDebugFunctionBreakpoint *This, BOOL bActive);
    HRESULT (*IsActive)(ICorDebugFunctionBreakpoint *This, BOOL *pbActive);
    // ICorDebugFunctionBreakpoint
    HRESULT (*GetFunction)(ICorDebugFunctionBreakpoint *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetOffset)(ICorDebugFunctionBreakpoint *This, ULONG32 *pnOffset);
} ICorDebugFunctionBreakpointVtbl;
struct ICorDebugFunctionBreakpoint { const ICorDebugFunctionBreakpointVtbl *lpVtbl; };
extern const IID IID_ICorDebugFunctionBreakpoint;

// ICorDebugModuleBreakpoint: 6 slots (IUnknown 3 + ICorDebugBreakpoint 2 + ICorDebugModuleBreakpoint 1)
typedef struct ICorDebugModuleBreakpointVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModuleBreakpoint *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModuleBreakpoint *This);
    ULONG (*Release)(ICorDebugModuleBreakpoint *This);
    // ICorDebugBreakpoint
    HRESULT (*Activate)(ICorDebugModuleBreakpoint *This, BOOL bActive);
    HRESULT (*IsActive)(ICorDebugModuleBreakpoint *This, BOOL *pbActive);
    // ICorDebugModuleBreakpoint
    HRESULT (*GetModule)(ICorDebugModuleBreakpoint *This, ICorDebugModule **ppModule);
} ICorDebugModuleBreakpointVtbl;
struct ICorDebugModuleBreakpoint { const ICorDebugModuleBreakpointVtbl *lpVtbl; };
extern const IID IID_ICorDebugModuleBreakpoint;

// ICorDebugValueBreakpoint: 6 slots (IUnknown 3 + ICorDebugBreakpoint 2 + ICorDebugValueBreakpoint 1)
typedef struct ICorDebugValueBreakpointVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugValueBreakpoint *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugValueBreakpoint *This);
    ULONG (*Release)(ICorDebugValueBreakpoint *This);
    // ICorDebugBreakpoint
    HRESULT (*Activate)(ICorDebugValueBreakpoint *This, BOOL bActive);
    HRESULT (*IsActive)(ICorDebugValueBreakpoint *This, BOOL *pbActive);
    // ICorDebugValueBreakpoint
    HRESULT (*GetValue)(ICorDebugValueBreakpoint *This, ICorDebugValue **ppValue);
} ICorDebugValueBreakpointVtbl;
struct ICorDebugValueBreakpoint { const ICorDebugValueBreakpointVtbl *lpVtbl; };
extern const IID IID_ICorDebugValueBreakpoint;

// ICorDebugStepper: 11 slots (IUnknown 3 + ICorDebugStepper 8)
typedef struct ICorDebugStepperVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugStepper *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugStepper *This);
    ULONG (*Release)(ICorDebugStepper *This);
    // ICorDebugStepper
    HRESULT (*IsActive)(ICorDebugStepper *This, BOOL *pbActive);
    HRESULT (*Deactivate)(ICorDebugStepper *This);
    HRESULT (*SetInterceptMask)(ICorDebugStepper *This, CorDebugIntercept mask);
    HRESULT (*SetUnmappedStopMask)(ICorDebugStepper *This, CorDebugUnmappedStop mask);
    HRESULT (*Step)(ICorDebugStepper *This, BOOL bStepIn);
    HRESULT (*StepRange)(
        ICorDebugStepper *This,
        BOOL bStepIn,
        COR_DEBUG_STEP_RANGE ranges[],
        ULONG32 cRangeCount);
    HRESULT (*StepOut)(ICorDebugStepper *This);
    HRESULT (*SetRangeIL)(ICorDebugStepper *This, BOOL bIL);
} ICorDebugStepperVtbl;
struct ICorDebugStepper { const ICorDebugStepperVtbl *lpVtbl; };
extern const IID IID_ICorDebugStepper;

// ICorDebugStepper2: 4 slots (IUnknown 3 + ICorDebugStepper2 1)
typedef struct ICorDebugStepper2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugStepper2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugStepper2 *This);
    ULONG (*Release)(ICorDebugStepper2 *This);
    // ICorDebugStepper2
    HRESULT (*SetJMC)(ICorDebugStepper2 *This, BOOL fIsJMCStepper);
} ICorDebugStepper2Vtbl;
struct ICorDebugStepper2 { const ICorDebugStepper2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugStepper2;

// ICorDebugRegisterSet: 8 slots (IUnknown 3 + ICorDebugRegisterSet 5)
typedef struct ICorDebugRegisterSetVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugRegisterSet *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugRegisterSet *This);
    ULONG (*Release)(ICorDebugRegisterSet *This);
    // ICorDebugRegisterSet
    HRESULT (*GetRegistersAvailable)(ICorDebugRegisterSet *This, ULONG64 *pAvailable);
    HRESULT (*GetRegisters)(
        ICorDebugRegisterSet *This,
        ULONG64 mask,
        ULONG32 regCount,
        CORDB_REGISTER regBuffer[]);
    HRESULT (*SetRegisters)(
        ICorDebugRegisterSet *This,
        ULONG64 mask,
        ULONG32 regCount,
        CORDB_REGISTER regBuffer[]);
    HRESULT (*GetThreadContext)(ICorDebugRegisterSet *This, ULONG32 contextSize, BYTE context[]);
    HRESULT (*SetThreadContext)(ICorDebugRegisterSet *This, ULONG32 contextSize, BYTE context[]);
} ICorDebugRegisterSetVtbl;
struct ICorDebugRegisterSet { const ICorDebugRegisterSetVtbl *lpVtbl; };
extern const IID IID_ICorDebugRegisterSet;

// ICorDebugRegisterSet2: 6 slots (IUnknown 3 + ICorDebugRegisterSet2 3)
typedef struct ICorDebugRegisterSet2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugRegisterSet2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugRegisterSet2 *This);
    ULONG (*Release)(ICorDebugRegisterSet2 *This);
    // ICorDebugRegisterSet2
    HRESULT (*GetRegistersAvailable)(
        ICorDebugRegisterSet2 *This,
        ULONG32 numChunks,
        BYTE availableRegChunks[]);
    HRESULT (*GetRegisters)(
        ICorDebugRegisterSet2 *This,
        ULONG32 maskCount,
        BYTE mask[],
        ULONG32 regCount,
        CORDB_REGISTER regBuffer[]);
    HRESULT (*SetRegisters)(
        ICorDebugRegisterSet2 *This,
        ULONG32 maskCount,
        BYTE mask[],
        ULONG32 regCount,
        CORDB_REGISTER regBuffer[]);
} ICorDebugRegisterSet2Vtbl;
struct ICorDebugRegisterSet2 { const ICorDebugRegisterSet2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugRegisterSet2;

// ICorDebugThread: 19 slots (IUnknown 3 + ICorDebugThread 16)
typedef struct ICorDebugThreadVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugThread *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugThread *This);
    ULONG (*Release)(ICorDebugThread *This);
    // ICorDebugThread
    HRESULT (*GetProcess)(ICorDebugThread *This, ICorDebugProcess **ppProcess);
    HRESULT (*GetID)(ICorDebugThread *This, DWORD *pdwThreadId);
    HRESULT (*GetHandle)(ICorDebugThread *This, HTHREAD *phThreadHandle);
    HRESULT (*GetAppDomain)(ICorDebugThread *This, ICorDebugAppDomain **ppAppDomain);
    HRESULT (*SetDebugState)(ICorDebugThread *This, CorDebugThreadState state);
    HRESULT (*GetDebugState)(ICorDebugThread *This, CorDebugThreadState *pState);
    HRESULT (*GetUserState)(ICorDebugThread *This, CorDebugUserState *pState);
    HRESULT (*GetCurrentException)(ICorDebugThread *This, ICorDebugValue **ppExceptionObject);
    HRESULT (*ClearCurrentException)(ICorDebugThread *This);
    HRESULT (*CreateStepper)(ICorDebugThread *This, ICorDebugStepper **ppStepper);
    HRESULT (*EnumerateChains)(ICorDebugThread *This, ICorDebugChainEnum **ppChains);
    HRESULT (*GetActiveChain)(ICorDebugThread *This, ICorDebugChain **ppChain);
    HRESULT (*GetActiveFrame)(ICorDebugThread *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetRegisterSet)(ICorDebugThread *This, ICorDebugRegisterSet **ppRegisters);
    HRESULT (*CreateEval)(ICorDebugThread *This, ICorDebugEval **ppEval);
    HRESULT (*GetObject)(ICorDebugThread *This, ICorDebugValue **ppObject);
} ICorDebugThreadVtbl;
struct ICorDebugThread { const ICorDebugThreadVtbl *lpVtbl; };
extern const IID IID_ICorDebugThread;

// ICorDebugThread2: 8 slots (IUnknown 3 + ICorDebugThread2 5)
typedef struct ICorDebugThread2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugThread2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugThread2 *This);
    ULONG (*Release)(ICorDebugThread2 *This);
    // ICorDebugThread2
    HRESULT (*GetActiveFunctions)(
        ICorDebugThread2 *This,
        ULONG32 cFunctions,
        ULONG32 *pcFunctions,
        COR_ACTIVE_FUNCTION pFunctions[]);
    HRESULT (*GetConnectionID)(ICorDebugThread2 *This, CONNID *pdwConnectionId);
    HRESULT (*GetTaskID)(ICorDebugThread2 *This, TASKID *pTaskId);
    HRESULT (*GetVolatileOSThreadID)(ICorDebugThread2 *This, DWORD *pdwTid);
    HRESULT (*InterceptCurrentException)(ICorDebugThread2 *This, ICorDebugFrame *pFrame);
} ICorDebugThread2Vtbl;
struct ICorDebugThread2 { const ICorDebugThread2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugThread2;

// ICorDebugThread3: 5 slots (IUnknown 3 + ICorDebugThread3 2)
typedef struct ICorDebugThread3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugThread3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugThread3 *This);
    ULONG (*Release)(ICorDebugThread3 *This);
    // ICorDebugThread3
    HRESULT (*CreateStackWalk)(ICorDebugThread3 *This, ICorDebugStackWalk **ppStackWalk);
    HRESULT (*GetActiveInternalFrames)(
        ICorDebugThread3 *This,
        ULONG32 cInternalFrames,
        ULONG32 *pcInternalFrames,
        ICorDebugInternalFrame2 *ppInternalFrames[]);
} ICorDebugThread3Vtbl;
struct ICorDebugThread3 { const ICorDebugThread3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugThread3;

// ICorDebugThread4: 6 slots (IUnknown 3 + ICorDebugThread4 3)
typedef struct ICorDebugThread4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugThread4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugThread4 *This);
    ULONG (*Release)(ICorDebugThread4 *This);
    // ICorDebugThread4
    HRESULT (*HasUnhandledException)(ICorDebugThread4 *This);
    HRESULT (*GetBlockingObjects)(
        ICorDebugThread4 *This,
        ICorDebugBlockingObjectEnum **ppBlockingObjectEnum);
    HRESULT (*GetCurrentCustomDebuggerNotification)(
        ICorDebugThread4 *This,
        ICorDebugValue **ppNotificationObject);
} ICorDebugThread4Vtbl;
struct ICorDebugThread4 { const ICorDebugThread4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugThread4;

// ICorDebugThread5: 4 slots (IUnknown 3 + ICorDebugThread5 1)
typedef struct ICorDebugThread5Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugThread5 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugThread5 *This);
    ULONG (*Release)(ICorDebugThread5 *This);
    // ICorDebugThread5
    HRESULT (*GetBytesAllocated)(
        ICorDebugThread5 *This,
        ULONG64 *pSohAllocatedBytes,
        ULONG64 *pUohAllocatedBytes);
} ICorDebugThread5Vtbl;
struct ICorDebugThread5 { const ICorDebugThread5Vtbl *lpVtbl; };
extern const IID IID_ICorDebugThread5;

// ICorDebugStackWalk: 7 slots (IUnknown 3 + ICorDebugStackWalk 4)
typedef struct ICorDebugStackWalkVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugStackWalk *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugStackWalk *This);
    ULONG (*Release)(ICorDebugStackWalk *This);
    // ICorDebugStackWalk
    HRESULT (*GetContext)(
        ICorDebugStackWalk *This,
        ULONG32 contextFlags,
        ULONG32 contextBufSize,
        ULONG32 *contextSize,
        BYTE contextBuf[]);
    HRESULT (*SetContext)(
        ICorDebugStackWalk *This,
        CorDebugSetContextFlag flag,
        ULONG32 contextSize,
        BYTE context[]);
    HRESULT (*Next)(ICorDebugStackWalk *This);
    HRESULT (*GetFrame)(ICorDebugStackWalk *This, ICorDebugFrame **pFrame);
} ICorDebugStackWalkVtbl;
struct ICorDebugStackWalk { const ICorDebugStackWalkVtbl *lpVtbl; };
extern const IID IID_ICorDebugStackWalk;

// ICorDebugChain: 15 slots (IUnknown 3 + ICorDebugChain 12)
typedef struct ICorDebugChainVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugChain *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugChain *This);
    ULONG (*Release)(ICorDebugChain *This);
    // ICorDebugChain
    HRESULT (*GetThread)(ICorDebugChain *This, ICorDebugThread **ppThread);
    HRESULT (*GetStackRange)(ICorDebugChain *This, CORDB_ADDRESS *pStart, CORDB_ADDRESS *pEnd);
    HRESULT (*GetContext)(ICorDebugChain *This, ICorDebugContext **ppContext);
    HRESULT (*GetCaller)(ICorDebugChain *This, ICorDebugChain **ppChain);
    HRESULT (*GetCallee)(ICorDebugChain *This, ICorDebugChain **ppChain);
    HRESULT (*GetPrevious)(ICorDebugChain *This, ICorDebugChain **ppChain);
    HRESULT (*GetNext)(ICorDebugChain *This, ICorDebugChain **ppChain);
    HRESULT (*IsManaged)(ICorDebugChain *This, BOOL *pManaged);
    HRESULT (*EnumerateFrames)(ICorDebugChain *This, ICorDebugFrameEnum **ppFrames);
    HRESULT (*GetActiveFrame)(ICorDebugChain *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetRegisterSet)(ICorDebugChain *This, ICorDebugRegisterSet **ppRegisters);
    HRESULT (*GetReason)(ICorDebugChain *This, CorDebugChainReason *pReason);
} ICorDebugChainVtbl;
struct ICorDebugChain { const ICorDebugChainVtbl *lpVtbl; };
extern const IID IID_ICorDebugChain;

// ICorDebugFrame: 11 slots (IUnknown 3 + ICorDebugFrame 8)
typedef struct ICorDebugFrameVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFrame *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFrame *This);
    ULONG (*Release)(ICorDebugFrame *This);
    // ICorDebugFrame
    HRESULT (*GetChain)(ICorDebugFrame *This, ICorDebugChain **ppChain);
    HRESULT (*GetCode)(ICorDebugFrame *This, ICorDebugCode **ppCode);
    HRESULT (*GetFunction)(ICorDebugFrame *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetFunctionToken)(ICorDebugFrame *This, mdMethodDef *pToken);
    HRESULT (*GetStackRange)(ICorDebugFrame *This, CORDB_ADDRESS *pStart, CORDB_ADDRESS *pEnd);
    HRESULT (*GetCaller)(ICorDebugFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetCallee)(ICorDebugFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*CreateStepper)(ICorDebugFrame *This, ICorDebugStepper **ppStepper);
} ICorDebugFrameVtbl;
struct ICorDebugFrame { const ICorDebugFrameVtbl *lpVtbl; };
extern const IID IID_ICorDebugFrame;

// ICorDebugInternalFrame: 12 slots (IUnknown 3 + ICorDebugFrame 8 + ICorDebugInternalFrame 1)
typedef struct ICorDebugInternalFrameVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugInternalFrame *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugInternalFrame *This);
    ULONG (*Release)(ICorDebugInternalFrame *This);
    // ICorDebugFrame
    HRESULT (*GetChain)(ICorDebugInternalFrame *This, ICorDebugChain **ppChain);
    HRESULT (*GetCode)(ICorDebugInternalFrame *This, ICorDebugCode **ppCode);
    HRESULT (*GetFunction)(ICorDebugInternalFrame *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetFunctionToken)(ICorDebugInternalFrame *This, mdMethodDef *pToken);
    HRESULT (*GetStackRange)(
        ICorDebugInternalFrame *This,
        CORDB_ADDRESS *pStart,
        CORDB_ADDRESS *pEnd);
    HRESULT (*GetCaller)(ICorDebugInternalFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetCallee)(ICorDebugInternalFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*CreateStepper)(ICorDebugInternalFrame *This, ICorDebugStepper **ppStepper);
    // ICorDebugInternalFrame
    HRESULT (*GetFrameType)(ICorDebugInternalFrame *This, CorDebugInternalFrameType *pType);
} ICorDebugInternalFrameVtbl;
struct ICorDebugInternalFrame { const ICorDebugInternalFrameVtbl *lpVtbl; };
extern const IID IID_ICorDebugInternalFrame;

// ICorDebugInternalFrame2: 5 slots (IUnknown 3 + ICorDebugInternalFrame2 2)
typedef struct ICorDebugInternalFrame2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugInternalFrame2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugInternalFrame2 *This);
    ULONG (*Release)(ICorDebugInternalFrame2 *This);
    // ICorDebugInternalFrame2
    HRESULT (*GetAddress)(ICorDebugInternalFrame2 *This, CORDB_ADDRESS *pAddress);
    HRESULT (*IsCloserToLeaf)(
        ICorDebugInternalFrame2 *This,
        ICorDebugFrame *pFrameToCompare,
        BOOL *pIsCloser);
} ICorDebugInternalFrame2Vtbl;
struct ICorDebugInternalFrame2 { const ICorDebugInternalFrame2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugInternalFrame2;

// ICorDebugILFrame: 20 slots (IUnknown 3 + ICorDebugFrame 8 + ICorDebugILFrame 9)
typedef struct ICorDebugILFrameVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugILFrame *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugILFrame *This);
    ULONG (*Release)(ICorDebugILFrame *This);
    // ICorDebugFrame
    HRESULT (*GetChain)(ICorDebugILFrame *This, ICorDebugChain **ppChain);
    HRESULT (*GetCode)(ICorDebugILFrame *This, ICorDebugCode **ppCode);
    HRESULT (*GetFunction)(ICorDebugILFrame *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetFunctionToken)(ICorDebugILFrame *This, mdMethodDef *pToken);
    HRESULT (*GetStackRange)(ICorDebugILFrame *This, CORDB_ADDRESS *pStart, CORDB_ADDRESS *pEnd);
    HRESULT (*GetCaller)(ICorDebugILFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetCallee)(ICorDebugILFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*CreateStepper)(ICorDebugILFrame *This, ICorDebugStepper **ppStepper);
    // ICorDebugILFrame
    HRESULT (*GetIP)(
        ICorDebugILFrame *This,
        ULONG32 *pnOffset,
        CorDebugMappingResult *pMappingResult);
    HRESULT (*SetIP)(ICorDebugILFrame *This, ULONG32 nOffset);
    HRESULT (*EnumerateLocalVariables)(ICorDebugILFrame *This, ICorDebugValueEnum **ppValueEnum);
    HRESULT (*GetLocalVariable)(ICorDebugILFrame *This, DWORD dwIndex, ICorDebugValue **ppValue);
    HRESULT (*EnumerateArguments)(ICorDebugILFrame *This, ICorDebugValueEnum **ppValueEnum);
    HRESULT (*GetArgument)(ICorDebugILFrame *This, DWORD dwIndex, ICorDebugValue **ppValue);
    HRESULT (*GetStackDepth)(ICorDebugILFrame *This, ULONG32 *pDepth);
    HRESULT (*GetStackValue)(ICorDebugILFrame *This, DWORD dwIndex, ICorDebugValue **ppValue);
    HRESULT (*CanSetIP)(ICorDebugILFrame *This, ULONG32 nOffset);
} ICorDebugILFrameVtbl;
struct ICorDebugILFrame { const ICorDebugILFrameVtbl *lpVtbl; };
extern const IID IID_ICorDebugILFrame;

// ICorDebugILFrame2: 5 slots (IUnknown 3 + ICorDebugILFrame2 2)
typedef struct ICorDebugILFrame2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugILFrame2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugILFrame2 *This);
    ULONG (*Release)(ICorDebugILFrame2 *This);
    // ICorDebugILFrame2
    HRESULT (*RemapFunction)(ICorDebugILFrame2 *This, ULONG32 newILOffset);
    HRESULT (*EnumerateTypeParameters)(ICorDebugILFrame2 *This, ICorDebugTypeEnum **ppTyParEnum);
} ICorDebugILFrame2Vtbl;
struct ICorDebugILFrame2 { const ICorDebugILFrame2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugILFrame2;

// ICorDebugILFrame3: 4 slots (IUnknown 3 + ICorDebugILFrame3 1)
typedef struct ICorDebugILFrame3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugILFrame3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugILFrame3 *This);
    ULONG (*Release)(ICorDebugILFrame3 *This);
    // ICorDebugILFrame3
    HRESULT (*GetReturnValueForILOffset)(
        ICorDebugILFrame3 *This,
        ULONG32 ILoffset,
        ICorDebugValue **ppReturnValue);
} ICorDebugILFrame3Vtbl;
struct ICorDebugILFrame3 { const ICorDebugILFrame3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugILFrame3;

// ICorDebugILFrame4: 6 slots (IUnknown 3 + ICorDebugILFrame4 3)
typedef struct ICorDebugILFrame4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugILFrame4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugILFrame4 *This);
    ULONG (*Release)(ICorDebugILFrame4 *This);
    // ICorDebugILFrame4
    HRESULT (*EnumerateLocalVariablesEx)(
        ICorDebugILFrame4 *This,
        ILCodeKind flags,
        ICorDebugValueEnum **ppValueEnum);
    HRESULT (*GetLocalVariableEx)(
        ICorDebugILFrame4 *This,
        ILCodeKind flags,
        DWORD dwIndex,
        ICorDebugValue **ppValue);
    HRESULT (*GetCodeEx)(ICorDebugILFrame4 *This, ILCodeKind flags, ICorDebugCode **ppCode);
} ICorDebugILFrame4Vtbl;
struct ICorDebugILFrame4 { const ICorDebugILFrame4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugILFrame4;

// ICorDebugNativeFrame: 20 slots (IUnknown 3 + ICorDebugFrame 8 + ICorDebugNativeFrame 9)
typedef struct ICorDebugNativeFrameVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugNativeFrame *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugNativeFrame *This);
    ULONG (*Release)(ICorDebugNativeFrame *This);
    // ICorDebugFrame
    HRESULT (*GetChain)(ICorDebugNativeFrame *This, ICorDebugChain **ppChain);
    HRESULT (*GetCode)(ICorDebugNativeFrame *This, ICorDebugCode **ppCode);
    HRESULT (*GetFunction)(ICorDebugNativeFrame *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetFunctionToken)(ICorDebugNativeFrame *This, mdMethodDef *pToken);
    HRESULT (*GetStackRange)(
        ICorDebugNativeFrame *This,
        CORDB_ADDRESS *pStart,
        CORDB_ADDRESS *pEnd);
    HRESULT (*GetCaller)(ICorDebugNativeFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetCallee)(ICorDebugNativeFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*CreateStepper)(ICorDebugNativeFrame *This, ICorDebugStepper **ppStepper);
    // ICorDebugNativeFrame
    HRESULT (*GetIP)(ICorDebugNativeFrame *This, ULONG32 *pnOffset);
    HRESULT (*SetIP)(ICorDebugNativeFrame *This, ULONG32 nOffset);
    HRESULT (*GetRegisterSet)(ICorDebugNativeFrame *This, ICorDebugRegisterSet **ppRegisters);
    HRESULT (*GetLocalRegisterValue)(
        ICorDebugNativeFrame *This,
        CorDebugRegister reg,
        ULONG cbSigBlob,
        PCCOR_SIGNATURE pvSigBlob,
        ICorDebugValue **ppValue);
    HRESULT (*GetLocalDoubleRegisterValue)(
        ICorDebugNativeFrame *This,
        CorDebugRegister highWordReg,
        CorDebugRegister lowWordReg,
        ULONG cbSigBlob,
        PCCOR_SIGNATURE pvSigBlob,
        ICorDebugValue **ppValue);
    HRESULT (*GetLocalMemoryValue)(
        ICorDebugNativeFrame *This,
        CORDB_ADDRESS address,
        ULONG cbSigBlob,
        PCCOR_SIGNATURE pvSigBlob,
        ICorDebugValue **ppValue);
    HRESULT (*GetLocalRegisterMemoryValue)(
        ICorDebugNativeFrame *This,
        CorDebugRegister highWordReg,
        CORDB_ADDRESS lowWordAddress,
        ULONG cbSigBlob,
        PCCOR_SIGNATURE pvSigBlob,
        ICorDebugValue **ppValue);
    HRESULT (*GetLocalMemoryRegisterValue)(
        ICorDebugNativeFrame *This,
        CORDB_ADDRESS highWordAddress,
        CorDebugRegister lowWordRegister,
        ULONG cbSigBlob,
        PCCOR_SIGNATURE pvSigBlob,
        ICorDebugValue **ppValue);
    HRESULT (*CanSetIP)(ICorDebugNativeFrame *This, ULONG32 nOffset);
} ICorDebugNativeFrameVtbl;
struct ICorDebugNativeFrame { const ICorDebugNativeFrameVtbl *lpVtbl; };
extern const IID IID_ICorDebugNativeFrame;

// ICorDebugNativeFrame2: 6 slots (IUnknown 3 + ICorDebugNativeFrame2 3)
typedef struct ICorDebugNativeFrame2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugNativeFrame2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugNativeFrame2 *This);
    ULONG (*Release)(ICorDebugNativeFrame2 *This);
    // ICorDebugNativeFrame2
    HRESULT (*IsChild)(ICorDebugNativeFrame2 *This, BOOL *pIsChild);
    HRESULT (*IsMatchingParentFrame)(
        ICorDebugNativeFrame2 *This,
        ICorDebugNativeFrame2 *pPotentialParentFrame,
        BOOL *pIsParent);
    HRESULT (*GetStackParameterSize)(ICorDebugNativeFrame2 *This, ULONG32 *pSize);
} ICorDebugNativeFrame2Vtbl;
struct ICorDebugNativeFrame2 { const ICorDebugNativeFrame2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugNativeFrame2;

// ICorDebugModule3: 4 slots (IUnknown 3 + ICorDebugModule3 1)
typedef struct ICorDebugModule3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModule3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModule3 *This);
    ULONG (*Release)(ICorDebugModule3 *This);
    // ICorDebugModule3
    HRESULT (*CreateReaderForInMemorySymbols)(ICorDebugModule3 *This, REFIID riid, void **ppObj);
} ICorDebugModule3Vtbl;
struct ICorDebugModule3 { const ICorDebugModule3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugModule3;

// ICorDebugModule4: 4 slots (IUnknown 3 + ICorDebugModule4 1)
typedef struct ICorDebugModule4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModule4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModule4 *This);
    ULONG (*Release)(ICorDebugModule4 *This);
    // ICorDebugModule4
    HRESULT (*IsMappedLayout)(ICorDebugModule4 *This, BOOL *pIsMapped);
} ICorDebugModule4Vtbl;
struct ICorDebugModule4 { const ICorDebugModule4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugModule4;

// ICorDebugRuntimeUnwindableFrame: 11 slots (IUnknown 3 + ICorDebugFrame 8 + ICorDebugRuntimeUnwindableFrame 0)
typedef struct ICorDebugRuntimeUnwindableFrameVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugRuntimeUnwindableFrame *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugRuntimeUnwindableFrame *This);
    ULONG (*Release)(ICorDebugRuntimeUnwindableFrame *This);
    // ICorDebugFrame
    HRESULT (*GetChain)(ICorDebugRuntimeUnwindableFrame *This, ICorDebugChain **ppChain);
    HRESULT (*GetCode)(ICorDebugRuntimeUnwindableFrame *This, ICorDebugCode **ppCode);
    HRESULT (*GetFunction)(ICorDebugRuntimeUnwindableFrame *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetFunctionToken)(ICorDebugRuntimeUnwindableFrame *This, mdMethodDef *pToken);
    HRESULT (*GetStackRange)(
        ICorDebugRuntimeUnwindableFrame *This,
        CORDB_ADDRESS *pStart,
        CORDB_ADDRESS *pEnd);
    HRESULT (*GetCaller)(ICorDebugRuntimeUnwindableFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*GetCallee)(ICorDebugRuntimeUnwindableFrame *This, ICorDebugFrame **ppFrame);
    HRESULT (*CreateStepper)(ICorDebugRuntimeUnwindableFrame *This, ICorDebugStepper **ppStepper);
    // ICorDebugRuntimeUnwindableFrame
} ICorDebugRuntimeUnwindableFrameVtbl;
struct ICorDebugRuntimeUnwindableFrame { const ICorDebugRuntimeUnwindableFrameVtbl *lpVtbl; };
extern const IID IID_ICorDebugRuntimeUnwindableFrame;

// ICorDebugModule: 20 slots (IUnknown 3 + ICorDebugModule 17)
typedef struct ICorDebugModuleVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModule *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModule *This);
    ULONG (*Release)(ICorDebugModule *This);
    // ICorDebugModule
    HRESULT (*GetProcess)(ICorDebugModule *This, ICorDebugProcess **ppProcess);
    HRESULT (*GetBaseAddress)(ICorDebugModule *This, CORDB_ADDRESS *pAddress);
    HRESULT (*GetAssembly)(ICorDebugModule *This, ICorDebugAssembly **ppAssembly);
    HRESULT (*GetName)(ICorDebugModule *This, ULONG32 cchName, ULONG32 *pcchName, WCHAR szName[]);
    HRESULT (*EnableJITDebugging)(ICorDebugModule *This, BOOL bTrackJITInfo, BOOL bAllowJitOpts);
    HRESULT (*EnableClassLoadCallbacks)(ICorDebugModule *This, BOOL bClassLoadCallbacks);
    HRESULT (*GetFunctionFromToken)(
        ICorDebugModule *This,
        mdMethodDef methodDef,
        ICorDebugFunction **ppFunction);
    HRESULT (*GetFunctionFromRVA)(
        ICorDebugModule *This,
        CORDB_ADDRESS rva,
        ICorDebugFunction **ppFunction);
    HRESULT (*GetClassFromToken)(
        ICorDebugModule *This,
        mdTypeDef typeDef,
        ICorDebugClass **ppClass);
    HRESULT (*CreateBreakpoint)(ICorDebugModule *This, ICorDebugModuleBreakpoint **ppBreakpoint);
    HRESULT (*GetEditAndContinueSnapshot)(
        ICorDebugModule *This,
        ICorDebugEditAndContinueSnapshot **ppEditAndContinueSnapshot);
    HRESULT (*GetMetaDataInterface)(ICorDebugModule *This, REFIID riid, IUnknown **ppObj);
    HRESULT (*GetToken)(ICorDebugModule *This, mdModule *pToken);
    HRESULT (*IsDynamic)(ICorDebugModule *This, BOOL *pDynamic);
    HRESULT (*GetGlobalVariableValue)(
        ICorDebugModule *This,
        mdFieldDef fieldDef,
        ICorDebugValue **ppValue);
    HRESULT (*GetSize)(ICorDebugModule *This, ULONG32 *pcBytes);
    HRESULT (*IsInMemory)(ICorDebugModule *This, BOOL *pInMemory);
} ICorDebugModuleVtbl;
struct ICorDebugModule { const ICorDebugModuleVtbl *lpVtbl; };
extern const IID IID_ICorDebugModule;

// ICorDebugModule2: 8 slots (IUnknown 3 + ICorDebugModule2 5)
typedef struct ICorDebugModule2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModule2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModule2 *This);
    ULONG (*Release)(ICorDebugModule2 *This);
    // ICorDebugModule2
    HRESULT (*SetJMCStatus)(
        ICorDebugModule2 *This,
        BOOL bIsJustMyCode,
        ULONG32 cTokens,
        mdToken pTokens[]);
    HRESULT (*ApplyChanges)(
        ICorDebugModule2 *This,
        ULONG cbMetadata,
        BYTE pbMetadata[],
        ULONG cbIL,
        BYTE pbIL[]);
    HRESULT (*SetJITCompilerFlags)(ICorDebugModule2 *This, DWORD dwFlags);
    HRESULT (*GetJITCompilerFlags)(ICorDebugModule2 *This, DWORD *pdwFlags);
    HRESULT (*ResolveAssembly)(
        ICorDebugModule2 *This,
        mdToken tkAssemblyRef,
        ICorDebugAssembly **ppAssembly);
} ICorDebugModule2Vtbl;
struct ICorDebugModule2 { const ICorDebugModule2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugModule2;

// ICorDebugFunction: 11 slots (IUnknown 3 + ICorDebugFunction 8)
typedef struct ICorDebugFunctionVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFunction *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFunction *This);
    ULONG (*Release)(ICorDebugFunction *This);
    // ICorDebugFunction
    HRESULT (*GetModule)(ICorDebugFunction *This, ICorDebugModule **ppModule);
    HRESULT (*GetClass)(ICorDebugFunction *This, ICorDebugClass **ppClass);
    HRESULT (*GetToken)(ICorDebugFunction *This, mdMethodDef *pMethodDef);
    HRESULT (*GetILCode)(ICorDebugFunction *This, ICorDebugCode **ppCode);
    HRESULT (*GetNativeCode)(ICorDebugFunction *This, ICorDebugCode **ppCode);
    HRESULT (*CreateBreakpoint)(
        ICorDebugFunction *This,
        ICorDebugFunctionBreakpoint **ppBreakpoint);
    HRESULT (*GetLocalVarSigToken)(ICorDebugFunction *This, mdSignature *pmdSig);
    HRESULT (*GetCurrentVersionNumber)(ICorDebugFunction *This, ULONG32 *pnCurrentVersion);
} ICorDebugFunctionVtbl;
struct ICorDebugFunction { const ICorDebugFunctionVtbl *lpVtbl; };
extern const IID IID_ICorDebugFunction;

// ICorDebugFunction2: 7 slots (IUnknown 3 + ICorDebugFunction2 4)
typedef struct ICorDebugFunction2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFunction2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFunction2 *This);
    ULONG (*Release)(ICorDebugFunction2 *This);
    // ICorDebugFunction2
    HRESULT (*SetJMCStatus)(ICorDebugFunction2 *This, BOOL bIsJustMyCode);
    HRESULT (*GetJMCStatus)(ICorDebugFunction2 *This, BOOL *pbIsJustMyCode);
    HRESULT (*EnumerateNativeCode)(ICorDebugFunction2 *This, ICorDebugCodeEnum **ppCodeEnum);
    HRESULT (*GetVersionNumber)(ICorDebugFunction2 *This, ULONG32 *pnVersion);
} ICorDebugFunction2Vtbl;
struct ICorDebugFunction2 { const ICorDebugFunction2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugFunction2;

// ICorDebugFunction3: 4 slots (IUnknown 3 + ICorDebugFunction3 1)
typedef struct ICorDebugFunction3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFunction3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFunction3 *This);
    ULONG (*Release)(ICorDebugFunction3 *This);
    // ICorDebugFunction3
    HRESULT (*GetActiveReJitRequestILCode)(
        ICorDebugFunction3 *This,
        ICorDebugILCode **ppReJitedILCode);
} ICorDebugFunction3Vtbl;
struct ICorDebugFunction3 { const ICorDebugFunction3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugFunction3;

// ICorDebugFunction4: 4 slots (IUnknown 3 + ICorDebugFunction4 1)
typedef struct ICorDebugFunction4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFunction4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFunction4 *This);
    ULONG (*Release)(ICorDebugFunction4 *This);
    // ICorDebugFunction4
    HRESULT (*CreateNativeBreakpoint)(
        ICorDebugFunction4 *This,
        ICorDebugFunctionBreakpoint **ppBreakpoint);
} ICorDebugFunction4Vtbl;
struct ICorDebugFunction4 { const ICorDebugFunction4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugFunction4;

// ICorDebugFunction5: 5 slots (IUnknown 3 + ICorDebugFunction5 2)
typedef struct ICorDebugFunction5Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFunction5 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFunction5 *This);
    ULONG (*Release)(ICorDebugFunction5 *This);
    // ICorDebugFunction5
    HRESULT (*DisableOptimizations)(ICorDebugFunction5 *This);
    HRESULT (*AreOptimizationsDisabled)(ICorDebugFunction5 *This, BOOL *pOptimizationsDisabled);
} ICorDebugFunction5Vtbl;
struct ICorDebugFunction5 { const ICorDebugFunction5Vtbl *lpVtbl; };
extern const IID IID_ICorDebugFunction5;

// ICorDebugCode: 12 slots (IUnknown 3 + ICorDebugCode 9)
typedef struct ICorDebugCodeVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugCode *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugCode *This);
    ULONG (*Release)(ICorDebugCode *This);
    // ICorDebugCode
    HRESULT (*IsIL)(ICorDebugCode *This, BOOL *pbIL);
    HRESULT (*GetFunction)(ICorDebugCode *This, ICorDebugFunction **ppFunction);
    HRESULT (*GetAddress)(ICorDebugCode *This, CORDB_ADDRESS *pStart);
    HRESULT (*GetSize)(ICorDebugCode *This, ULONG32 *pcBytes);
    HRESULT (*CreateBreakpoint)(
        ICorDebugCode *This,
        ULONG32 offset,
        ICorDebugFunctionBreakpoint **ppBreakpoint);
    HRESULT (*GetCode)(
        ICorDebugCode *This,
        ULONG32 startOffset,
        ULONG32 endOffset,
        ULONG32 cBufferAlloc,
        BYTE buffer[],
        ULONG32 *pcBufferSize);
    HRESULT (*GetVersionNumber)(ICorDebugCode *This, ULONG32 *nVersion);
    HRESULT (*GetILToNativeMapping)(
        ICorDebugCode *This,
        ULONG32 cMap,
        ULONG32 *pcMap,
        COR_DEBUG_IL_TO_NATIVE_MAP map[]);
    HRESULT (*GetEnCRemapSequencePoints)(
        ICorDebugCode *This,
        ULONG32 cMap,
        ULONG32 *pcMap,
        ULONG32 offsets[]);
} ICorDebugCodeVtbl;
struct ICorDebugCode { const ICorDebugCodeVtbl *lpVtbl; };
extern const IID IID_ICorDebugCode;

// ICorDebugCode2: 5 slots (IUnknown 3 + ICorDebugCode2 2)
typedef struct ICorDebugCode2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugCode2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugCode2 *This);
    ULONG (*Release)(ICorDebugCode2 *This);
    // ICorDebugCode2
    HRESULT (*GetCodeChunks)(
        ICorDebugCode2 *This,
        ULONG32 cbufSize,
        ULONG32 *pcnumChunks,
        CodeChunkInfo chunks[]);
    HRESULT (*GetCompilerFlags)(ICorDebugCode2 *This, DWORD *pdwFlags);
} ICorDebugCode2Vtbl;
struct ICorDebugCode2 { const ICorDebugCode2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugCode2;

// ICorDebugCode3: 4 slots (IUnknown 3 + ICorDebugCode3 1)
typedef struct ICorDebugCode3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugCode3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugCode3 *This);
    ULONG (*Release)(ICorDebugCode3 *This);
    // ICorDebugCode3
    HRESULT (*GetReturnValueLiveOffset)(
        ICorDebugCode3 *This,
        ULONG32 ILoffset,
        ULONG32 bufferSize,
        ULONG32 *pFetched,
        ULONG32 pOffsets[]);
} ICorDebugCode3Vtbl;
struct ICorDebugCode3 { const ICorDebugCode3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugCode3;

// ICorDebugCode4: 4 slots (IUnknown 3 + ICorDebugCode4 1)
typedef struct ICorDebugCode4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugCode4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugCode4 *This);
    ULONG (*Release)(ICorDebugCode4 *This);
    // ICorDebugCode4
    HRESULT (*EnumerateVariableHomes)(ICorDebugCode4 *This, ICorDebugVariableHomeEnum **ppEnum);
} ICorDebugCode4Vtbl;
struct ICorDebugCode4 { const ICorDebugCode4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugCode4;

// ICorDebugILCode: 4 slots (IUnknown 3 + ICorDebugILCode 1)
typedef struct ICorDebugILCodeVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugILCode *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugILCode *This);
    ULONG (*Release)(ICorDebugILCode *This);
    // ICorDebugILCode
    HRESULT (*GetEHClauses)(
        ICorDebugILCode *This,
        ULONG32 cClauses,
        ULONG32 *pcClauses,
        CorDebugEHClause clauses[]);
} ICorDebugILCodeVtbl;
struct ICorDebugILCode { const ICorDebugILCodeVtbl *lpVtbl; };
extern const IID IID_ICorDebugILCode;

// ICorDebugILCode2: 5 slots (IUnknown 3 + ICorDebugILCode2 2)
typedef struct ICorDebugILCode2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugILCode2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugILCode2 *This);
    ULONG (*Release)(ICorDebugILCode2 *This);
    // ICorDebugILCode2
    HRESULT (*GetLocalVarSigToken)(ICorDebugILCode2 *This, mdSignature *pmdSig);
    HRESULT (*GetInstrumentedILMap)(
        ICorDebugILCode2 *This,
        ULONG32 cMap,
        ULONG32 *pcMap,
        COR_IL_MAP map[]);
} ICorDebugILCode2Vtbl;
struct ICorDebugILCode2 { const ICorDebugILCode2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugILCode2;

// ICorDebugClass: 6 slots (IUnknown 3 + ICorDebugClass 3)
typedef struct ICorDebugClassVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugClass *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugClass *This);
    ULONG (*Release)(ICorDebugClass *This);
    // ICorDebugClass
    HRESULT (*GetModule)(ICorDebugClass *This, ICorDebugModule **pModule);
    HRESULT (*GetToken)(ICorDebugClass *This, mdTypeDef *pTypeDef);
    HRESULT (*GetStaticFieldValue)(
        ICorDebugClass *This,
        mdFieldDef fieldDef,
        ICorDebugFrame *pFrame,
        ICorDebugValue **ppValue);
} ICorDebugClassVtbl;
struct ICorDebugClass { const ICorDebugClassVtbl *lpVtbl; };
extern const IID IID_ICorDebugClass;

// ICorDebugClass2: 5 slots (IUnknown 3 + ICorDebugClass2 2)
typedef struct ICorDebugClass2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugClass2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugClass2 *This);
    ULONG (*Release)(ICorDebugClass2 *This);
    // ICorDebugClass2
    HRESULT (*GetParameterizedType)(
        ICorDebugClass2 *This,
        CorElementType elementType,
        ULONG32 nTypeArgs,
        ICorDebugType *ppTypeArgs[],
        ICorDebugType **ppType);
    HRESULT (*SetJMCStatus)(ICorDebugClass2 *This, BOOL bIsJustMyCode);
} ICorDebugClass2Vtbl;
struct ICorDebugClass2 { const ICorDebugClass2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugClass2;

// ICorDebugEval: 13 slots (IUnknown 3 + ICorDebugEval 10)
typedef struct ICorDebugEvalVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugEval *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugEval *This);
    ULONG (*Release)(ICorDebugEval *This);
    // ICorDebugEval
    HRESULT (*CallFunction)(
        ICorDebugEval *This,
        ICorDebugFunction *pFunction,
        ULONG32 nArgs,
        ICorDebugValue *ppArgs[]);
    HRESULT (*NewObject)(
        ICorDebugEval *This,
        ICorDebugFunction *pConstructor,
        ULONG32 nArgs,
        ICorDebugValue *ppArgs[]);
    HRESULT (*NewObjectNoConstructor)(ICorDebugEval *This, ICorDebugClass *pClass);
    HRESULT (*NewString)(ICorDebugEval *This, LPCWSTR string);
    HRESULT (*NewArray)(
        ICorDebugEval *This,
        CorElementType elementType,
        ICorDebugClass *pElementClass,
        ULONG32 rank,
        ULONG32 dims[],
        ULONG32 lowBounds[]);
    HRESULT (*IsActive)(ICorDebugEval *This, BOOL *pbActive);
    HRESULT (*Abort)(ICorDebugEval *This);
    HRESULT (*GetResult)(ICorDebugEval *This, ICorDebugValue **ppResult);
    HRESULT (*GetThread)(ICorDebugEval *This, ICorDebugThread **ppThread);
    HRESULT (*CreateValue)(
        ICorDebugEval *This,
        CorElementType elementType,
        ICorDebugClass *pElementClass,
        ICorDebugValue **ppValue);
} ICorDebugEvalVtbl;
struct ICorDebugEval { const ICorDebugEvalVtbl *lpVtbl; };
extern const IID IID_ICorDebugEval;

// ICorDebugEval2: 10 slots (IUnknown 3 + ICorDebugEval2 7)
typedef struct ICorDebugEval2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugEval2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugEval2 *This);
    ULONG (*Release)(ICorDebugEval2 *This);
    // ICorDebugEval2
    HRESULT (*CallParameterizedFunction)(
        ICorDebugEval2 *This,
        ICorDebugFunction *pFunction,
        ULONG32 nTypeArgs,
        ICorDebugType *ppTypeArgs[],
        ULONG32 nArgs,
        ICorDebugValue *ppArgs[]);
    HRESULT (*CreateValueForType)(
        ICorDebugEval2 *This,
        ICorDebugType *pType,
        ICorDebugValue **ppValue);
    HRESULT (*NewParameterizedObject)(
        ICorDebugEval2 *This,
        ICorDebugFunction *pConstructor,
        ULONG32 nTypeArgs,
        ICorDebugType *ppTypeArgs[],
        ULONG32 nArgs,
        ICorDebugValue *ppArgs[]);
    HRESULT (*NewParameterizedObjectNoConstructor)(
        ICorDebugEval2 *This,
        ICorDebugClass *pClass,
        ULONG32 nTypeArgs,
        ICorDebugType *ppTypeArgs[]);
    HRESULT (*NewParameterizedArray)(
        ICorDebugEval2 *This,
        ICorDebugType *pElementType,
        ULONG32 rank,
        ULONG32 dims[],
        ULONG32 lowBounds[]);
    HRESULT (*NewStringWithLength)(ICorDebugEval2 *This, LPCWSTR string, UINT uiLength);
    HRESULT (*RudeAbort)(ICorDebugEval2 *This);
} ICorDebugEval2Vtbl;
struct ICorDebugEval2 { const ICorDebugEval2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugEval2;

// ICorDebugValue: 7 slots (IUnknown 3 + ICorDebugValue 4)
typedef struct ICorDebugValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugValue *This);
    ULONG (*Release)(ICorDebugValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(ICorDebugValue *This, ICorDebugValueBreakpoint **ppBreakpoint);
} ICorDebugValueVtbl;
struct ICorDebugValue { const ICorDebugValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugValue;

// ICorDebugValue2: 4 slots (IUnknown 3 + ICorDebugValue2 1)
typedef struct ICorDebugValue2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugValue2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugValue2 *This);
    ULONG (*Release)(ICorDebugValue2 *This);
    // ICorDebugValue2
    HRESULT (*GetExactType)(ICorDebugValue2 *This, ICorDebugType **ppType);
} ICorDebugValue2Vtbl;
struct ICorDebugValue2 { const ICorDebugValue2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugValue2;

// ICorDebugValue3: 4 slots (IUnknown 3 + ICorDebugValue3 1)
typedef struct ICorDebugValue3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugValue3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugValue3 *This);
    ULONG (*Release)(ICorDebugValue3 *This);
    // ICorDebugValue3
    HRESULT (*GetSize64)(ICorDebugValue3 *This, ULONG64 *pSize);
} ICorDebugValue3Vtbl;
struct ICorDebugValue3 { const ICorDebugValue3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugValue3;

// ICorDebugGenericValue: 9 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugGenericValue 2)
typedef struct ICorDebugGenericValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugGenericValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugGenericValue *This);
    ULONG (*Release)(ICorDebugGenericValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugGenericValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugGenericValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugGenericValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(
        ICorDebugGenericValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugGenericValue
    HRESULT (*GetValue)(ICorDebugGenericValue *This, void *pTo);
    HRESULT (*SetValue)(ICorDebugGenericValue *This, void *pFrom);
} ICorDebugGenericValueVtbl;
struct ICorDebugGenericValue { const ICorDebugGenericValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugGenericValue;

// ICorDebugReferenceValue: 12 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugReferenceValue 5)
typedef struct ICorDebugReferenceValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugReferenceValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugReferenceValue *This);
    ULONG (*Release)(ICorDebugReferenceValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugReferenceValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugReferenceValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugReferenceValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(
        ICorDebugReferenceValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugReferenceValue
    HRESULT (*IsNull)(ICorDebugReferenceValue *This, BOOL *pbNull);
    HRESULT (*GetValue)(ICorDebugReferenceValue *This, CORDB_ADDRESS *pValue);
    HRESULT (*SetValue)(ICorDebugReferenceValue *This, CORDB_ADDRESS value);
    HRESULT (*Dereference)(ICorDebugReferenceValue *This, ICorDebugValue **ppValue);
    HRESULT (*DereferenceStrong)(ICorDebugReferenceValue *This, ICorDebugValue **ppValue);
} ICorDebugReferenceValueVtbl;
struct ICorDebugReferenceValue { const ICorDebugReferenceValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugReferenceValue;

// ICorDebugHeapValue: 9 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugHeapValue 2)
typedef struct ICorDebugHeapValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHeapValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHeapValue *This);
    ULONG (*Release)(ICorDebugHeapValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugHeapValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugHeapValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugHeapValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(ICorDebugHeapValue *This, ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugHeapValue
    HRESULT (*IsValid)(ICorDebugHeapValue *This, BOOL *pbValid);
    HRESULT (*CreateRelocBreakpoint)(
        ICorDebugHeapValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
} ICorDebugHeapValueVtbl;
struct ICorDebugHeapValue { const ICorDebugHeapValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugHeapValue;

// ICorDebugHeapValue2: 4 slots (IUnknown 3 + ICorDebugHeapValue2 1)
typedef struct ICorDebugHeapValue2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHeapValue2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHeapValue2 *This);
    ULONG (*Release)(ICorDebugHeapValue2 *This);
    // ICorDebugHeapValue2
    HRESULT (*CreateHandle)(
        ICorDebugHeapValue2 *This,
        CorDebugHandleType type,
        ICorDebugHandleValue **ppHandle);
} ICorDebugHeapValue2Vtbl;
struct ICorDebugHeapValue2 { const ICorDebugHeapValue2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugHeapValue2;

// ICorDebugHeapValue3: 5 slots (IUnknown 3 + ICorDebugHeapValue3 2)
typedef struct ICorDebugHeapValue3Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHeapValue3 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHeapValue3 *This);
    ULONG (*Release)(ICorDebugHeapValue3 *This);
    // ICorDebugHeapValue3
    HRESULT (*GetThreadOwningMonitorLock)(
        ICorDebugHeapValue3 *This,
        ICorDebugThread **ppThread,
        DWORD *pAcquisitionCount);
    HRESULT (*GetMonitorEventWaitList)(
        ICorDebugHeapValue3 *This,
        ICorDebugThreadEnum **ppThreadEnum);
} ICorDebugHeapValue3Vtbl;
struct ICorDebugHeapValue3 { const ICorDebugHeapValue3Vtbl *lpVtbl; };
extern const IID IID_ICorDebugHeapValue3;

// ICorDebugHeapValue4: 4 slots (IUnknown 3 + ICorDebugHeapValue4 1)
typedef struct ICorDebugHeapValue4Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHeapValue4 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHeapValue4 *This);
    ULONG (*Release)(ICorDebugHeapValue4 *This);
    // ICorDebugHeapValue4
    HRESULT (*CreatePinnedHandle)(ICorDebugHeapValue4 *This, ICorDebugHandleValue **ppHandle);
} ICorDebugHeapValue4Vtbl;
struct ICorDebugHeapValue4 { const ICorDebugHeapValue4Vtbl *lpVtbl; };
extern const IID IID_ICorDebugHeapValue4;

// ICorDebugObjectValue: 14 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugObjectValue 7)
typedef struct ICorDebugObjectValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugObjectValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugObjectValue *This);
    ULONG (*Release)(ICorDebugObjectValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugObjectValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugObjectValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugObjectValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(
        ICorDebugObjectValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugObjectValue
    HRESULT (*GetClass)(ICorDebugObjectValue *This, ICorDebugClass **ppClass);
    HRESULT (*GetFieldValue)(
        ICorDebugObjectValue *This,
        ICorDebugClass *pClass,
        mdFieldDef fieldDef,
        ICorDebugValue **ppValue);
    HRESULT (*GetVirtualMethod)(
        ICorDebugObjectValue *This,
        mdMemberRef memberRef,
        ICorDebugFunction **ppFunction);
    HRESULT (*GetContext)(ICorDebugObjectValue *This, ICorDebugContext **ppContext);
    HRESULT (*IsValueClass)(ICorDebugObjectValue *This, BOOL *pbIsValueClass);
    HRESULT (*GetManagedCopy)(ICorDebugObjectValue *This, IUnknown **ppObject);
    HRESULT (*SetFromManagedCopy)(ICorDebugObjectValue *This, IUnknown *pObject);
} ICorDebugObjectValueVtbl;
struct ICorDebugObjectValue { const ICorDebugObjectValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugObjectValue;

// ICorDebugObjectValue2: 4 slots (IUnknown 3 + ICorDebugObjectValue2 1)
typedef struct ICorDebugObjectValue2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugObjectValue2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugObjectValue2 *This);
    ULONG (*Release)(ICorDebugObjectValue2 *This);
    // ICorDebugObjectValue2
    HRESULT (*GetVirtualMethodAndType)(
        ICorDebugObjectValue2 *This,
        mdMemberRef memberRef,
        ICorDebugFunction **ppFunction,
        ICorDebugType **ppType);
} ICorDebugObjectValue2Vtbl;
struct ICorDebugObjectValue2 { const ICorDebugObjectValue2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugObjectValue2;

// ICorDebugDelegateObjectValue: 5 slots (IUnknown 3 + ICorDebugDelegateObjectValue 2)
typedef struct ICorDebugDelegateObjectValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugDelegateObjectValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugDelegateObjectValue *This);
    ULONG (*Release)(ICorDebugDelegateObjectValue *This);
    // ICorDebugDelegateObjectValue
    HRESULT (*GetTarget)(ICorDebugDelegateObjectValue *This, ICorDebugReferenceValue **ppObject);
    HRESULT (*GetFunction)(ICorDebugDelegateObjectValue *This, ICorDebugFunction **ppFunction);
} ICorDebugDelegateObjectValueVtbl;
struct ICorDebugDelegateObjectValue { const ICorDebugDelegateObjectValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugDelegateObjectValue;

// ICorDebugBoxValue: 10 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugHeapValue 2 + ICorDebugBoxValue 1)
typedef struct ICorDebugBoxValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugBoxValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugBoxValue *This);
    ULONG (*Release)(ICorDebugBoxValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugBoxValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugBoxValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugBoxValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(ICorDebugBoxValue *This, ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugHeapValue
    HRESULT (*IsValid)(ICorDebugBoxValue *This, BOOL *pbValid);
    HRESULT (*CreateRelocBreakpoint)(
        ICorDebugBoxValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugBoxValue
    HRESULT (*GetObject)(ICorDebugBoxValue *This, ICorDebugObjectValue **ppObject);
} ICorDebugBoxValueVtbl;
struct ICorDebugBoxValue { const ICorDebugBoxValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugBoxValue;

// ICorDebugStringValue: 11 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugHeapValue 2 + ICorDebugStringValue 2)
typedef struct ICorDebugStringValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugStringValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugStringValue *This);
    ULONG (*Release)(ICorDebugStringValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugStringValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugStringValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugStringValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(
        ICorDebugStringValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugHeapValue
    HRESULT (*IsValid)(ICorDebugStringValue *This, BOOL *pbValid);
    HRESULT (*CreateRelocBreakpoint)(
        ICorDebugStringValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugStringValue
    HRESULT (*GetLength)(ICorDebugStringValue *This, ULONG32 *pcchString);
    HRESULT (*GetString)(
        ICorDebugStringValue *This,
        ULONG32 cchString,
        ULONG32 *pcchString,
        WCHAR szString[]);
} ICorDebugStringValueVtbl;
struct ICorDebugStringValue { const ICorDebugStringValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugStringValue;

// ICorDebugArrayValue: 17 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugHeapValue 2 + ICorDebugArrayValue 8)
typedef struct ICorDebugArrayValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugArrayValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugArrayValue *This);
    ULONG (*Release)(ICorDebugArrayValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugArrayValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugArrayValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugArrayValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(ICorDebugArrayValue *This, ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugHeapValue
    HRESULT (*IsValid)(ICorDebugArrayValue *This, BOOL *pbValid);
    HRESULT (*CreateRelocBreakpoint)(
        ICorDebugArrayValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugArrayValue
    HRESULT (*GetElementType)(ICorDebugArrayValue *This, CorElementType *pType);
    HRESULT (*GetRank)(ICorDebugArrayValue *This, ULONG32 *pnRank);
    HRESULT (*GetCount)(ICorDebugArrayValue *This, ULONG32 *pnCount);
    HRESULT (*GetDimensions)(ICorDebugArrayValue *This, ULONG32 cdim, ULONG32 dims[]);
    HRESULT (*HasBaseIndicies)(ICorDebugArrayValue *This, BOOL *pbHasBaseIndicies);
    HRESULT (*GetBaseIndicies)(ICorDebugArrayValue *This, ULONG32 cdim, ULONG32 indices[]);
    HRESULT (*GetElement)(
        ICorDebugArrayValue *This,
        ULONG32 cdim,
        ULONG32 indices[],
        ICorDebugValue **ppValue);
    HRESULT (*GetElementAtPosition)(
        ICorDebugArrayValue *This,
        ULONG32 nPosition,
        ICorDebugValue **ppValue);
} ICorDebugArrayValueVtbl;
struct ICorDebugArrayValue { const ICorDebugArrayValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugArrayValue;

// ICorDebugVariableHome: 10 slots (IUnknown 3 + ICorDebugVariableHome 7)
typedef struct ICorDebugVariableHomeVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugVariableHome *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugVariableHome *This);
    ULONG (*Release)(ICorDebugVariableHome *This);
    // ICorDebugVariableHome
    HRESULT (*GetCode)(ICorDebugVariableHome *This, ICorDebugCode **ppCode);
    HRESULT (*GetSlotIndex)(ICorDebugVariableHome *This, ULONG32 *pSlotIndex);
    HRESULT (*GetArgumentIndex)(ICorDebugVariableHome *This, ULONG32 *pArgumentIndex);
    HRESULT (*GetLiveRange)(
        ICorDebugVariableHome *This,
        ULONG32 *pStartOffset,
        ULONG32 *pEndOffset);
    HRESULT (*GetLocationType)(ICorDebugVariableHome *This, VariableLocationType *pLocationType);
    HRESULT (*GetRegister)(ICorDebugVariableHome *This, CorDebugRegister *pRegister);
    HRESULT (*GetOffset)(ICorDebugVariableHome *This, LONG *pOffset);
} ICorDebugVariableHomeVtbl;
struct ICorDebugVariableHome { const ICorDebugVariableHomeVtbl *lpVtbl; };
extern const IID IID_ICorDebugVariableHome;

// ICorDebugHandleValue: 14 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugReferenceValue 5 + ICorDebugHandleValue 2)
typedef struct ICorDebugHandleValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugHandleValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugHandleValue *This);
    ULONG (*Release)(ICorDebugHandleValue *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugHandleValue *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugHandleValue *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugHandleValue *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(
        ICorDebugHandleValue *This,
        ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugReferenceValue
    HRESULT (*IsNull)(ICorDebugHandleValue *This, BOOL *pbNull);
    HRESULT (*GetValue)(ICorDebugHandleValue *This, CORDB_ADDRESS *pValue);
    HRESULT (*SetValue)(ICorDebugHandleValue *This, CORDB_ADDRESS value);
    HRESULT (*Dereference)(ICorDebugHandleValue *This, ICorDebugValue **ppValue);
    HRESULT (*DereferenceStrong)(ICorDebugHandleValue *This, ICorDebugValue **ppValue);
    // ICorDebugHandleValue
    HRESULT (*GetHandleType)(ICorDebugHandleValue *This, CorDebugHandleType *pType);
    HRESULT (*Dispose)(ICorDebugHandleValue *This);
} ICorDebugHandleValueVtbl;
struct ICorDebugHandleValue { const ICorDebugHandleValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugHandleValue;

// ICorDebugContext: 14 slots (IUnknown 3 + ICorDebugValue 4 + ICorDebugObjectValue 7 + ICorDebugContext 0)
typedef struct ICorDebugContextVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugContext *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugContext *This);
    ULONG (*Release)(ICorDebugContext *This);
    // ICorDebugValue
    HRESULT (*GetType)(ICorDebugContext *This, CorElementType *pType);
    HRESULT (*GetSize)(ICorDebugContext *This, ULONG32 *pSize);
    HRESULT (*GetAddress)(ICorDebugContext *This, CORDB_ADDRESS *pAddress);
    HRESULT (*CreateBreakpoint)(ICorDebugContext *This, ICorDebugValueBreakpoint **ppBreakpoint);
    // ICorDebugObjectValue
    HRESULT (*GetClass)(ICorDebugContext *This, ICorDebugClass **ppClass);
    HRESULT (*GetFieldValue)(
        ICorDebugContext *This,
        ICorDebugClass *pClass,
        mdFieldDef fieldDef,
        ICorDebugValue **ppValue);
    HRESULT (*GetVirtualMethod)(
        ICorDebugContext *This,
        mdMemberRef memberRef,
        ICorDebugFunction **ppFunction);
    HRESULT (*GetContext)(ICorDebugContext *This, ICorDebugContext **ppContext);
    HRESULT (*IsValueClass)(ICorDebugContext *This, BOOL *pbIsValueClass);
    HRESULT (*GetManagedCopy)(ICorDebugContext *This, IUnknown **ppObject);
    HRESULT (*SetFromManagedCopy)(ICorDebugContext *This, IUnknown *pObject);
    // ICorDebugContext
} ICorDebugContextVtbl;
struct ICorDebugContext { const ICorDebugContextVtbl *lpVtbl; };
extern const IID IID_ICorDebugContext;

// ICorDebugComObjectValue: 5 slots (IUnknown 3 + ICorDebugComObjectValue 2)
typedef struct ICorDebugComObjectValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugComObjectValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugComObjectValue *This);
    ULONG (*Release)(ICorDebugComObjectValue *This);
    // ICorDebugComObjectValue
    HRESULT (*GetCachedInterfaceTypes)(
        ICorDebugComObjectValue *This,
        BOOL bIInspectableOnly,
        ICorDebugTypeEnum **ppInterfacesEnum);
    HRESULT (*GetCachedInterfacePointers)(
        ICorDebugComObjectValue *This,
        BOOL bIInspectableOnly,
        ULONG32 celt,
        ULONG32 *pcEltFetched,
        CORDB_ADDRESS *ptrs);
} ICorDebugComObjectValueVtbl;
struct ICorDebugComObjectValue { const ICorDebugComObjectValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugComObjectValue;

// ICorDebugEnum: 7 slots (IUnknown 3 + ICorDebugEnum 4)
typedef struct ICorDebugEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugEnum *This);
    ULONG (*Release)(ICorDebugEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugEnum *This);
    HRESULT (*Clone)(ICorDebugEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugEnum *This, ULONG *pcelt);
} ICorDebugEnumVtbl;
struct ICorDebugEnum { const ICorDebugEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugEnum;

// ICorDebugObjectEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugObjectEnum 1)
typedef struct ICorDebugObjectEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugObjectEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugObjectEnum *This);
    ULONG (*Release)(ICorDebugObjectEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugObjectEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugObjectEnum *This);
    HRESULT (*Clone)(ICorDebugObjectEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugObjectEnum *This, ULONG *pcelt);
    // ICorDebugObjectEnum
    HRESULT (*Next)(
        ICorDebugObjectEnum *This,
        ULONG celt,
        CORDB_ADDRESS objects[],
        ULONG *pceltFetched);
} ICorDebugObjectEnumVtbl;
struct ICorDebugObjectEnum { const ICorDebugObjectEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugObjectEnum;

// ICorDebugBreakpointEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugBreakpointEnum 1)
typedef struct ICorDebugBreakpointEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugBreakpointEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugBreakpointEnum *This);
    ULONG (*Release)(ICorDebugBreakpointEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugBreakpointEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugBreakpointEnum *This);
    HRESULT (*Clone)(ICorDebugBreakpointEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugBreakpointEnum *This, ULONG *pcelt);
    // ICorDebugBreakpointEnum
    HRESULT (*Next)(
        ICorDebugBreakpointEnum *This,
        ULONG celt,
        ICorDebugBreakpoint *breakpoints[],
        ULONG *pceltFetched);
} ICorDebugBreakpointEnumVtbl;
struct ICorDebugBreakpointEnum { const ICorDebugBreakpointEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugBreakpointEnum;

// ICorDebugStepperEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugStepperEnum 1)
typedef struct ICorDebugStepperEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugStepperEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugStepperEnum *This);
    ULONG (*Release)(ICorDebugStepperEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugStepperEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugStepperEnum *This);
    HRESULT (*Clone)(ICorDebugStepperEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugStepperEnum *This, ULONG *pcelt);
    // ICorDebugStepperEnum
    HRESULT (*Next)(
        ICorDebugStepperEnum *This,
        ULONG celt,
        ICorDebugStepper *steppers[],
        ULONG *pceltFetched);
} ICorDebugStepperEnumVtbl;
struct ICorDebugStepperEnum { const ICorDebugStepperEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugStepperEnum;

// ICorDebugProcessEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugProcessEnum 1)
typedef struct ICorDebugProcessEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugProcessEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugProcessEnum *This);
    ULONG (*Release)(ICorDebugProcessEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugProcessEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugProcessEnum *This);
    HRESULT (*Clone)(ICorDebugProcessEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugProcessEnum *This, ULONG *pcelt);
    // ICorDebugProcessEnum
    HRESULT (*Next)(
        ICorDebugProcessEnum *This,
        ULONG celt,
        ICorDebugProcess *processes[],
        ULONG *pceltFetched);
} ICorDebugProcessEnumVtbl;
struct ICorDebugProcessEnum { const ICorDebugProcessEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugProcessEnum;

// ICorDebugThreadEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugThreadEnum 1)
typedef struct ICorDebugThreadEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugThreadEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugThreadEnum *This);
    ULONG (*Release)(ICorDebugThreadEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugThreadEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugThreadEnum *This);
    HRESULT (*Clone)(ICorDebugThreadEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugThreadEnum *This, ULONG *pcelt);
    // ICorDebugThreadEnum
    HRESULT (*Next)(
        ICorDebugThreadEnum *This,
        ULONG celt,
        ICorDebugThread *threads[],
        ULONG *pceltFetched);
} ICorDebugThreadEnumVtbl;
struct ICorDebugThreadEnum { const ICorDebugThreadEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugThreadEnum;

// ICorDebugFrameEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugFrameEnum 1)
typedef struct ICorDebugFrameEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugFrameEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugFrameEnum *This);
    ULONG (*Release)(ICorDebugFrameEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugFrameEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugFrameEnum *This);
    HRESULT (*Clone)(ICorDebugFrameEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugFrameEnum *This, ULONG *pcelt);
    // ICorDebugFrameEnum
    HRESULT (*Next)(
        ICorDebugFrameEnum *This,
        ULONG celt,
        ICorDebugFrame *frames[],
        ULONG *pceltFetched);
} ICorDebugFrameEnumVtbl;
struct ICorDebugFrameEnum { const ICorDebugFrameEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugFrameEnum;

// ICorDebugChainEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugChainEnum 1)
typedef struct ICorDebugChainEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugChainEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugChainEnum *This);
    ULONG (*Release)(ICorDebugChainEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugChainEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugChainEnum *This);
    HRESULT (*Clone)(ICorDebugChainEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugChainEnum *This, ULONG *pcelt);
    // ICorDebugChainEnum
    HRESULT (*Next)(
        ICorDebugChainEnum *This,
        ULONG celt,
        ICorDebugChain *chains[],
        ULONG *pceltFetched);
} ICorDebugChainEnumVtbl;
struct ICorDebugChainEnum { const ICorDebugChainEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugChainEnum;

// ICorDebugModuleEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugModuleEnum 1)
typedef struct ICorDebugModuleEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugModuleEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugModuleEnum *This);
    ULONG (*Release)(ICorDebugModuleEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugModuleEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugModuleEnum *This);
    HRESULT (*Clone)(ICorDebugModuleEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugModuleEnum *This, ULONG *pcelt);
    // ICorDebugModuleEnum
    HRESULT (*Next)(
        ICorDebugModuleEnum *This,
        ULONG celt,
        ICorDebugModule *modules[],
        ULONG *pceltFetched);
} ICorDebugModuleEnumVtbl;
struct ICorDebugModuleEnum { const ICorDebugModuleEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugModuleEnum;

// ICorDebugValueEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugValueEnum 1)
typedef struct ICorDebugValueEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugValueEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugValueEnum *This);
    ULONG (*Release)(ICorDebugValueEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugValueEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugValueEnum *This);
    HRESULT (*Clone)(ICorDebugValueEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugValueEnum *This, ULONG *pcelt);
    // ICorDebugValueEnum
    HRESULT (*Next)(
        ICorDebugValueEnum *This,
        ULONG celt,
        ICorDebugValue *values[],
        ULONG *pceltFetched);
} ICorDebugValueEnumVtbl;
struct ICorDebugValueEnum { const ICorDebugValueEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugValueEnum;

// ICorDebugVariableHomeEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugVariableHomeEnum 1)
typedef struct ICorDebugVariableHomeEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugVariableHomeEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugVariableHomeEnum *This);
    ULONG (*Release)(ICorDebugVariableHomeEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugVariableHomeEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugVariableHomeEnum *This);
    HRESULT (*Clone)(ICorDebugVariableHomeEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugVariableHomeEnum *This, ULONG *pcelt);
    // ICorDebugVariableHomeEnum
    HRESULT (*Next)(
        ICorDebugVariableHomeEnum *This,
        ULONG celt,
        ICorDebugVariableHome *homes[],
        ULONG *pceltFetched);
} ICorDebugVariableHomeEnumVtbl;
struct ICorDebugVariableHomeEnum { const ICorDebugVariableHomeEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugVariableHomeEnum;

// ICorDebugCodeEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugCodeEnum 1)
typedef struct ICorDebugCodeEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugCodeEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugCodeEnum *This);
    ULONG (*Release)(ICorDebugCodeEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugCodeEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugCodeEnum *This);
    HRESULT (*Clone)(ICorDebugCodeEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugCodeEnum *This, ULONG *pcelt);
    // ICorDebugCodeEnum
    HRESULT (*Next)(
        ICorDebugCodeEnum *This,
        ULONG celt,
        ICorDebugCode *values[],
        ULONG *pceltFetched);
} ICorDebugCodeEnumVtbl;
struct ICorDebugCodeEnum { const ICorDebugCodeEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugCodeEnum;

// ICorDebugTypeEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugTypeEnum 1)
typedef struct ICorDebugTypeEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugTypeEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugTypeEnum *This);
    ULONG (*Release)(ICorDebugTypeEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugTypeEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugTypeEnum *This);
    HRESULT (*Clone)(ICorDebugTypeEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugTypeEnum *This, ULONG *pcelt);
    // ICorDebugTypeEnum
    HRESULT (*Next)(
        ICorDebugTypeEnum *This,
        ULONG celt,
        ICorDebugType *values[],
        ULONG *pceltFetched);
} ICorDebugTypeEnumVtbl;
struct ICorDebugTypeEnum { const ICorDebugTypeEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugTypeEnum;

// ICorDebugType: 10 slots (IUnknown 3 + ICorDebugType 7)
typedef struct ICorDebugTypeVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugType *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugType *This);
    ULONG (*Release)(ICorDebugType *This);
    // ICorDebugType
    HRESULT (*GetType)(ICorDebugType *This, CorElementType *ty);
    HRESULT (*GetClass)(ICorDebugType *This, ICorDebugClass **ppClass);
    HRESULT (*EnumerateTypeParameters)(ICorDebugType *This, ICorDebugTypeEnum **ppTyParEnum);
    HRESULT (*GetFirstTypeParameter)(ICorDebugType *This, ICorDebugType **value);
    HRESULT (*GetBase)(ICorDebugType *This, ICorDebugType **pBase);
    HRESULT (*GetStaticFieldValue)(
        ICorDebugType *This,
        mdFieldDef fieldDef,
        ICorDebugFrame *pFrame,
        ICorDebugValue **ppValue);
    HRESULT (*GetRank)(ICorDebugType *This, ULONG32 *pnRank);
} ICorDebugTypeVtbl;
struct ICorDebugType { const ICorDebugTypeVtbl *lpVtbl; };
extern const IID IID_ICorDebugType;

// ICorDebugType2: 4 slots (IUnknown 3 + ICorDebugType2 1)
typedef struct ICorDebugType2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugType2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugType2 *This);
    ULONG (*Release)(ICorDebugType2 *This);
    // ICorDebugType2
    HRESULT (*GetTypeID)(ICorDebugType2 *This, COR_TYPEID *id);
} ICorDebugType2Vtbl;
struct ICorDebugType2 { const ICorDebugType2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugType2;

// ICorDebugErrorInfoEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugErrorInfoEnum 1)
typedef struct ICorDebugErrorInfoEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugErrorInfoEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugErrorInfoEnum *This);
    ULONG (*Release)(ICorDebugErrorInfoEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugErrorInfoEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugErrorInfoEnum *This);
    HRESULT (*Clone)(ICorDebugErrorInfoEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugErrorInfoEnum *This, ULONG *pcelt);
    // ICorDebugErrorInfoEnum
    HRESULT (*Next)(
        ICorDebugErrorInfoEnum *This,
        ULONG celt,
        ICorDebugEditAndContinueErrorInfo *errors[],
        ULONG *pceltFetched);
} ICorDebugErrorInfoEnumVtbl;
struct ICorDebugErrorInfoEnum { const ICorDebugErrorInfoEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugErrorInfoEnum;

// ICorDebugAppDomainEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugAppDomainEnum 1)
typedef struct ICorDebugAppDomainEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAppDomainEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAppDomainEnum *This);
    ULONG (*Release)(ICorDebugAppDomainEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugAppDomainEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugAppDomainEnum *This);
    HRESULT (*Clone)(ICorDebugAppDomainEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugAppDomainEnum *This, ULONG *pcelt);
    // ICorDebugAppDomainEnum
    HRESULT (*Next)(
        ICorDebugAppDomainEnum *This,
        ULONG celt,
        ICorDebugAppDomain *values[],
        ULONG *pceltFetched);
} ICorDebugAppDomainEnumVtbl;
struct ICorDebugAppDomainEnum { const ICorDebugAppDomainEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugAppDomainEnum;

// ICorDebugAssemblyEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugAssemblyEnum 1)
typedef struct ICorDebugAssemblyEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugAssemblyEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugAssemblyEnum *This);
    ULONG (*Release)(ICorDebugAssemblyEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugAssemblyEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugAssemblyEnum *This);
    HRESULT (*Clone)(ICorDebugAssemblyEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugAssemblyEnum *This, ULONG *pcelt);
    // ICorDebugAssemblyEnum
    HRESULT (*Next)(
        ICorDebugAssemblyEnum *This,
        ULONG celt,
        ICorDebugAssembly *values[],
        ULONG *pceltFetched);
} ICorDebugAssemblyEnumVtbl;
struct ICorDebugAssemblyEnum { const ICorDebugAssemblyEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugAssemblyEnum;

// ICorDebugBlockingObjectEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugBlockingObjectEnum 1)
typedef struct ICorDebugBlockingObjectEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugBlockingObjectEnum *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugBlockingObjectEnum *This);
    ULONG (*Release)(ICorDebugBlockingObjectEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugBlockingObjectEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugBlockingObjectEnum *This);
    HRESULT (*Clone)(ICorDebugBlockingObjectEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugBlockingObjectEnum *This, ULONG *pcelt);
    // ICorDebugBlockingObjectEnum
    HRESULT (*Next)(
        ICorDebugBlockingObjectEnum *This,
        ULONG celt,
        CorDebugBlockingObject values[],
        ULONG *pceltFetched);
} ICorDebugBlockingObjectEnumVtbl;
struct ICorDebugBlockingObjectEnum { const ICorDebugBlockingObjectEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugBlockingObjectEnum;

// ICorDebugMDA: 8 slots (IUnknown 3 + ICorDebugMDA 5)
typedef struct ICorDebugMDAVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugMDA *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugMDA *This);
    ULONG (*Release)(ICorDebugMDA *This);
    // ICorDebugMDA
    HRESULT (*GetName)(ICorDebugMDA *This, ULONG32 cchName, ULONG32 *pcchName, WCHAR szName[]);
    HRESULT (*GetDescription)(
        ICorDebugMDA *This,
        ULONG32 cchName,
        ULONG32 *pcchName,
        WCHAR szName[]);
    HRESULT (*GetXML)(ICorDebugMDA *This, ULONG32 cchName, ULONG32 *pcchName, WCHAR szName[]);
    HRESULT (*GetFlags)(ICorDebugMDA *This, CorDebugMDAFlags *pFlags);
    HRESULT (*GetOSThreadId)(ICorDebugMDA *This, DWORD *pOsTid);
} ICorDebugMDAVtbl;
struct ICorDebugMDA { const ICorDebugMDAVtbl *lpVtbl; };
extern const IID IID_ICorDebugMDA;

// ICorDebugEditAndContinueErrorInfo: 7 slots (IUnknown 3 + ICorDebugEditAndContinueErrorInfo 4)
typedef struct ICorDebugEditAndContinueErrorInfoVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(
        ICorDebugEditAndContinueErrorInfo *This,
        REFIID riid,
        void **ppvObject);
    ULONG (*AddRef)(ICorDebugEditAndContinueErrorInfo *This);
    ULONG (*Release)(ICorDebugEditAndContinueErrorInfo *This);
    // ICorDebugEditAndContinueErrorInfo
    HRESULT (*GetModule)(ICorDebugEditAndContinueErrorInfo *This, ICorDebugModule **ppModule);
    HRESULT (*GetToken)(ICorDebugEditAndContinueErrorInfo *This, mdToken *pToken);
    HRESULT (*GetErrorCode)(ICorDebugEditAndContinueErrorInfo *This, HRESULT *pHr);
    HRESULT (*GetString)(
        ICorDebugEditAndContinueErrorInfo *This,
        ULONG32 cchString,
        ULONG32 *pcchString,
        WCHAR szString[]);
} ICorDebugEditAndContinueErrorInfoVtbl;
struct ICorDebugEditAndContinueErrorInfo { const ICorDebugEditAndContinueErrorInfoVtbl *lpVtbl; };
extern const IID IID_ICorDebugEditAndContinueErrorInfo;

// ICorDebugEditAndContinueSnapshot: 10 slots (IUnknown 3 + ICorDebugEditAndContinueSnapshot 7)
typedef struct ICorDebugEditAndContinueSnapshotVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(
        ICorDebugEditAndContinueSnapshot *This,
        REFIID riid,
        void **ppvObject);
    ULONG (*AddRef)(ICorDebugEditAndContinueSnapshot *This);
    ULONG (*Release)(ICorDebugEditAndContinueSnapshot *This);
    // ICorDebugEditAndContinueSnapshot
    HRESULT (*CopyMetaData)(ICorDebugEditAndContinueSnapshot *This, IStream *pIStream, GUID *pMvid);
    HRESULT (*GetMvid)(ICorDebugEditAndContinueSnapshot *This, GUID *pMvid);
    HRESULT (*GetRoDataRVA)(ICorDebugEditAndContinueSnapshot *This, ULONG32 *pRoDataRVA);
    HRESULT (*GetRwDataRVA)(ICorDebugEditAndContinueSnapshot *This, ULONG32 *pRwDataRVA);
    HRESULT (*SetPEBytes)(ICorDebugEditAndContinueSnapshot *This, IStream *pIStream);
    HRESULT (*SetILMap)(
        ICorDebugEditAndContinueSnapshot *This,
        mdToken mdFunction,
        ULONG cMapSize,
        COR_IL_MAP map[]);
    HRESULT (*SetPESymbolBytes)(ICorDebugEditAndContinueSnapshot *This, IStream *pIStream);
} ICorDebugEditAndContinueSnapshotVtbl;
struct ICorDebugEditAndContinueSnapshot { const ICorDebugEditAndContinueSnapshotVtbl *lpVtbl; };
extern const IID IID_ICorDebugEditAndContinueSnapshot;

// ICorDebugExceptionObjectCallStackEnum: 8 slots (IUnknown 3 + ICorDebugEnum 4 + ICorDebugExceptionObjectCallStackEnum 1)
typedef struct ICorDebugExceptionObjectCallStackEnumVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(
        ICorDebugExceptionObjectCallStackEnum *This,
        REFIID riid,
        void **ppvObject);
    ULONG (*AddRef)(ICorDebugExceptionObjectCallStackEnum *This);
    ULONG (*Release)(ICorDebugExceptionObjectCallStackEnum *This);
    // ICorDebugEnum
    HRESULT (*Skip)(ICorDebugExceptionObjectCallStackEnum *This, ULONG celt);
    HRESULT (*Reset)(ICorDebugExceptionObjectCallStackEnum *This);
    HRESULT (*Clone)(ICorDebugExceptionObjectCallStackEnum *This, ICorDebugEnum **ppEnum);
    HRESULT (*GetCount)(ICorDebugExceptionObjectCallStackEnum *This, ULONG *pcelt);
    // ICorDebugExceptionObjectCallStackEnum
    HRESULT (*Next)(
        ICorDebugExceptionObjectCallStackEnum *This,
        ULONG celt,
        CorDebugExceptionObjectStackFrame values[],
        ULONG *pceltFetched);
} ICorDebugExceptionObjectCallStackEnumVtbl;
struct ICorDebugExceptionObjectCallStackEnum { const ICorDebugExceptionObjectCallStackEnumVtbl *lpVtbl; };
extern const IID IID_ICorDebugExceptionObjectCallStackEnum;

// ICorDebugExceptionObjectValue: 4 slots (IUnknown 3 + ICorDebugExceptionObjectValue 1)
typedef struct ICorDebugExceptionObjectValueVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugExceptionObjectValue *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugExceptionObjectValue *This);
    ULONG (*Release)(ICorDebugExceptionObjectValue *This);
    // ICorDebugExceptionObjectValue
    HRESULT (*EnumerateExceptionCallStack)(
        ICorDebugExceptionObjectValue *This,
        ICorDebugExceptionObjectCallStackEnum **ppCallStackEnum);
} ICorDebugExceptionObjectValueVtbl;
struct ICorDebugExceptionObjectValue { const ICorDebugExceptionObjectValueVtbl *lpVtbl; };
extern const IID IID_ICorDebugExceptionObjectValue;

// ICorDebugExceptionObjectValue2: 4 slots (IUnknown 3 + ICorDebugExceptionObjectValue2 1)
typedef struct ICorDebugExceptionObjectValue2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(ICorDebugExceptionObjectValue2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(ICorDebugExceptionObjectValue2 *This);
    ULONG (*Release)(ICorDebugExceptionObjectValue2 *This);
    // ICorDebugExceptionObjectValue2
    HRESULT (*ForceCatchHandlerFoundEvents)(
        ICorDebugExceptionObjectValue2 *This,
        BOOL enableEvents);
} ICorDebugExceptionObjectValue2Vtbl;
struct ICorDebugExceptionObjectValue2 { const ICorDebugExceptionObjectValue2Vtbl *lpVtbl; };
extern const IID IID_ICorDebugExceptionObjectValue2;

// IMetaDataImport: 65 slots (IUnknown 3 + IMetaDataImport 62)
typedef struct IMetaDataImportVtbl {
    // IUnknown
    HRESULT (*QueryInterface)(IMetaDataImport *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(IMetaDataImport *This);
    ULONG (*Release)(IMetaDataImport *This);
    // IMetaDataImport
    void (*CloseEnum)(IMetaDataImport *This, HCORENUM hEnum);
    HRESULT (*CountEnum)(IMetaDataImport *This, HCORENUM hEnum, ULONG *pulCount);
    HRESULT (*ResetEnum)(IMetaDataImport *This, HCORENUM hEnum, ULONG ulPos);
    HRESULT (*EnumTypeDefs)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef rTypeDefs[],
        ULONG cMax,
        ULONG *pcTypeDefs);
    HRESULT (*EnumInterfaceImpls)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdInterfaceImpl rImpls[],
        ULONG cMax,
        ULONG *pcImpls);
    HRESULT (*EnumTypeRefs)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeRef rTypeRefs[],
        ULONG cMax,
        ULONG *pcTypeRefs);
    HRESULT (*FindTypeDefByName)(
        IMetaDataImport *This,
        LPCWSTR szTypeDef,
        mdToken tkEnclosingClass,
        mdTypeDef *ptd);
    HRESULT (*GetScopeProps)(
        IMetaDataImport *This,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName,
        GUID *pmvid);
    HRESULT (*GetModuleFromScope)(IMetaDataImport *This, mdModule *pmd);
    HRESULT (*GetTypeDefProps)(
        IMetaDataImport *This,
        mdTypeDef td,
        LPWSTR szTypeDef,
        ULONG cchTypeDef,
        ULONG *pchTypeDef,
        DWORD *pdwTypeDefFlags,
        mdToken *ptkExtends);
    HRESULT (*GetInterfaceImplProps)(
        IMetaDataImport *This,
        mdInterfaceImpl iiImpl,
        mdTypeDef *pClass,
        mdToken *ptkIface);
    HRESULT (*GetTypeRefProps)(
        IMetaDataImport *This,
        mdTypeRef tr,
        mdToken *ptkResolutionScope,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName);
    HRESULT (*ResolveTypeRef)(
        IMetaDataImport *This,
        mdTypeRef tr,
        REFIID riid,
        IUnknown **ppIScope,
        mdTypeDef *ptd);
    HRESULT (*EnumMembers)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        mdToken rMembers[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMembersWithName)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        LPCWSTR szName,
        mdToken rMembers[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMethods)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        mdMethodDef rMethods[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMethodsWithName)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        LPCWSTR szName,
        mdMethodDef rMethods[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumFields)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        mdFieldDef rFields[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumFieldsWithName)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        LPCWSTR szName,
        mdFieldDef rFields[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumParams)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdMethodDef mb,
        mdParamDef rParams[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMemberRefs)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdToken tkParent,
        mdMemberRef rMemberRefs[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMethodImpls)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdToken rMethodBody[],
        mdToken rMethodDecl[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumPermissionSets)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdToken tk,
        DWORD dwActions,
        mdPermission rPermission[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*FindMember)(
        IMetaDataImport *This,
        mdTypeDef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdToken *pmb);
    HRESULT (*FindMethod)(
        IMetaDataImport *This,
        mdTypeDef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdMethodDef *pmb);
    HRESULT (*FindField)(
        IMetaDataImport *This,
        mdTypeDef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdFieldDef *pmb);
    HRESULT (*FindMemberRef)(
        IMetaDataImport *This,
        mdTypeRef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdMemberRef *pmr);
    HRESULT (*GetMethodProps)(
        IMetaDataImport *This,
        mdMethodDef mb,
        mdTypeDef *pClass,
        LPWSTR szMethod,
        ULONG cchMethod,
        ULONG *pchMethod,
        DWORD *pdwAttr,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob,
        ULONG *pulCodeRVA,
        DWORD *pdwImplFlags);
    HRESULT (*GetMemberRefProps)(
        IMetaDataImport *This,
        mdMemberRef mr,
        mdToken *ptk,
        LPWSTR szMember,
        ULONG cchMember,
        ULONG *pchMember,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pbSig);
    HRESULT (*EnumProperties)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdProperty rProperties[],
        ULONG cMax,
        ULONG *pcProperties);
    HRESULT (*EnumEvents)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdEvent rEvents[],
        ULONG cMax,
        ULONG *pcEvents);
    HRESULT (*GetEventProps)(
        IMetaDataImport *This,
        mdEvent ev,
        mdTypeDef *pClass,
        LPCWSTR szEvent,
        ULONG cchEvent,
        ULONG *pchEvent,
        DWORD *pdwEventFlags,
        mdToken *ptkEventType,
        mdMethodDef *pmdAddOn,
        mdMethodDef *pmdRemoveOn,
        mdMethodDef *pmdFire,
        mdMethodDef rmdOtherMethod[],
        ULONG cMax,
        ULONG *pcOtherMethod);
    HRESULT (*EnumMethodSemantics)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdMethodDef mb,
        mdToken rEventProp[],
        ULONG cMax,
        ULONG *pcEventProp);
    HRESULT (*GetMethodSemantics)(
        IMetaDataImport *This,
        mdMethodDef mb,
        mdToken tkEventProp,
        DWORD *pdwSemanticsFlags);
    HRESULT (*GetClassLayout)(
        IMetaDataImport *This,
        mdTypeDef td,
        DWORD *pdwPackSize,
        COR_FIELD_OFFSET rFieldOffset[],
        ULONG cMax,
        ULONG *pcFieldOffset,
        ULONG *pulClassSize);
    HRESULT (*GetFieldMarshal)(
        IMetaDataImport *This,
        mdToken tk,
        PCCOR_SIGNATURE *ppvNativeType,
        ULONG *pcbNativeType);
    HRESULT (*GetRVA)(IMetaDataImport *This, mdToken tk, ULONG *pulCodeRVA, DWORD *pdwImplFlags);
    HRESULT (*GetPermissionSetProps)(
        IMetaDataImport *This,
        mdPermission pm,
        DWORD *pdwAction,
        void const **ppvPermission,
        ULONG *pcbPermission);
    HRESULT (*GetSigFromToken)(
        IMetaDataImport *This,
        mdSignature mdSig,
        PCCOR_SIGNATURE *ppvSig,
        ULONG *pcbSig);
    HRESULT (*GetModuleRefProps)(
        IMetaDataImport *This,
        mdModuleRef mur,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName);
    HRESULT (*EnumModuleRefs)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdModuleRef rModuleRefs[],
        ULONG cmax,
        ULONG *pcModuleRefs);
    HRESULT (*GetTypeSpecFromToken)(
        IMetaDataImport *This,
        mdTypeSpec typespec,
        PCCOR_SIGNATURE *ppvSig,
        ULONG *pcbSig);
    HRESULT (*GetNameFromToken)(IMetaDataImport *This, mdToken tk, MDUTF8CSTR *pszUtf8NamePtr);
    HRESULT (*EnumUnresolvedMethods)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdToken rMethods[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*GetUserString)(
        IMetaDataImport *This,
        mdString stk,
        LPWSTR szString,
        ULONG cchString,
        ULONG *pchString);
    HRESULT (*GetPinvokeMap)(
        IMetaDataImport *This,
        mdToken tk,
        DWORD *pdwMappingFlags,
        LPWSTR szImportName,
        ULONG cchImportName,
        ULONG *pchImportName,
        mdModuleRef *pmrImportDLL);
    HRESULT (*EnumSignatures)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdSignature rSignatures[],
        ULONG cmax,
        ULONG *pcSignatures);
    HRESULT (*EnumTypeSpecs)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdTypeSpec rTypeSpecs[],
        ULONG cmax,
        ULONG *pcTypeSpecs);
    HRESULT (*EnumUserStrings)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdString rStrings[],
        ULONG cmax,
        ULONG *pcStrings);
    HRESULT (*GetParamForMethodIndex)(
        IMetaDataImport *This,
        mdMethodDef md,
        ULONG ulParamSeq,
        mdParamDef *ppd);
    HRESULT (*EnumCustomAttributes)(
        IMetaDataImport *This,
        HCORENUM *phEnum,
        mdToken tk,
        mdToken tkType,
        mdCustomAttribute rCustomAttributes[],
        ULONG cMax,
        ULONG *pcCustomAttributes);
    HRESULT (*GetCustomAttributeProps)(
        IMetaDataImport *This,
        mdCustomAttribute cv,
        mdToken *ptkObj,
        mdToken *ptkType,
        void const **ppBlob,
        ULONG *pcbSize);
    HRESULT (*FindTypeRef)(
        IMetaDataImport *This,
        mdToken tkResolutionScope,
        LPCWSTR szName,
        mdTypeRef *ptr);
    HRESULT (*GetMemberProps)(
        IMetaDataImport *This,
        mdToken mb,
        mdTypeDef *pClass,
        LPWSTR szMember,
        ULONG cchMember,
        ULONG *pchMember,
        DWORD *pdwAttr,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob,
        ULONG *pulCodeRVA,
        DWORD *pdwImplFlags,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppValue,
        ULONG *pcchValue);
    HRESULT (*GetFieldProps)(
        IMetaDataImport *This,
        mdFieldDef mb,
        mdTypeDef *pClass,
        LPWSTR szField,
        ULONG cchField,
        ULONG *pchField,
        DWORD *pdwAttr,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppValue,
        ULONG *pcchValue);
    HRESULT (*GetPropertyProps)(
        IMetaDataImport *This,
        mdProperty prop,
        mdTypeDef *pClass,
        LPCWSTR szProperty,
        ULONG cchProperty,
        ULONG *pchProperty,
        DWORD *pdwPropFlags,
        PCCOR_SIGNATURE *ppvSig,
        ULONG *pbSig,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppDefaultValue,
        ULONG *pcchDefaultValue,
        mdMethodDef *pmdSetter,
        mdMethodDef *pmdGetter,
        mdMethodDef rmdOtherMethod[],
        ULONG cMax,
        ULONG *pcOtherMethod);
    HRESULT (*GetParamProps)(
        IMetaDataImport *This,
        mdParamDef tk,
        mdMethodDef *pmd,
        ULONG *pulSequence,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName,
        DWORD *pdwAttr,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppValue,
        ULONG *pcchValue);
    HRESULT (*GetCustomAttributeByName)(
        IMetaDataImport *This,
        mdToken tkObj,
        LPCWSTR szName,
        const void **ppData,
        ULONG *pcbData);
    BOOL (*IsValidToken)(IMetaDataImport *This, mdToken tk);
    HRESULT (*GetNestedClassProps)(
        IMetaDataImport *This,
        mdTypeDef tdNestedClass,
        mdTypeDef *ptdEnclosingClass);
    HRESULT (*GetNativeCallConvFromSig)(
        IMetaDataImport *This,
        void const *pvSig,
        ULONG cbSig,
        ULONG *pCallConv);
    HRESULT (*IsGlobal)(IMetaDataImport *This, mdToken pd, int *pbGlobal);
} IMetaDataImportVtbl;
struct IMetaDataImport { const IMetaDataImportVtbl *lpVtbl; };
extern const IID IID_IMetaDataImport;

// IMetaDataImport2: 73 slots (IUnknown 3 + IMetaDataImport 62 + IMetaDataImport2 8)
typedef struct IMetaDataImport2Vtbl {
    // IUnknown
    HRESULT (*QueryInterface)(IMetaDataImport2 *This, REFIID riid, void **ppvObject);
    ULONG (*AddRef)(IMetaDataImport2 *This);
    ULONG (*Release)(IMetaDataImport2 *This);
    // IMetaDataImport
    void (*CloseEnum)(IMetaDataImport2 *This, HCORENUM hEnum);
    HRESULT (*CountEnum)(IMetaDataImport2 *This, HCORENUM hEnum, ULONG *pulCount);
    HRESULT (*ResetEnum)(IMetaDataImport2 *This, HCORENUM hEnum, ULONG ulPos);
    HRESULT (*EnumTypeDefs)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef rTypeDefs[],
        ULONG cMax,
        ULONG *pcTypeDefs);
    HRESULT (*EnumInterfaceImpls)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdInterfaceImpl rImpls[],
        ULONG cMax,
        ULONG *pcImpls);
    HRESULT (*EnumTypeRefs)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeRef rTypeRefs[],
        ULONG cMax,
        ULONG *pcTypeRefs);
    HRESULT (*FindTypeDefByName)(
        IMetaDataImport2 *This,
        LPCWSTR szTypeDef,
        mdToken tkEnclosingClass,
        mdTypeDef *ptd);
    HRESULT (*GetScopeProps)(
        IMetaDataImport2 *This,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName,
        GUID *pmvid);
    HRESULT (*GetModuleFromScope)(IMetaDataImport2 *This, mdModule *pmd);
    HRESULT (*GetTypeDefProps)(
        IMetaDataImport2 *This,
        mdTypeDef td,
        LPWSTR szTypeDef,
        ULONG cchTypeDef,
        ULONG *pchTypeDef,
        DWORD *pdwTypeDefFlags,
        mdToken *ptkExtends);
    HRESULT (*GetInterfaceImplProps)(
        IMetaDataImport2 *This,
        mdInterfaceImpl iiImpl,
        mdTypeDef *pClass,
        mdToken *ptkIface);
    HRESULT (*GetTypeRefProps)(
        IMetaDataImport2 *This,
        mdTypeRef tr,
        mdToken *ptkResolutionScope,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName);
    HRESULT (*ResolveTypeRef)(
        IMetaDataImport2 *This,
        mdTypeRef tr,
        REFIID riid,
        IUnknown **ppIScope,
        mdTypeDef *ptd);
    HRESULT (*EnumMembers)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        mdToken rMembers[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMembersWithName)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        LPCWSTR szName,
        mdToken rMembers[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMethods)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        mdMethodDef rMethods[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMethodsWithName)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        LPCWSTR szName,
        mdMethodDef rMethods[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumFields)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        mdFieldDef rFields[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumFieldsWithName)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef cl,
        LPCWSTR szName,
        mdFieldDef rFields[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumParams)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdMethodDef mb,
        mdParamDef rParams[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMemberRefs)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdToken tkParent,
        mdMemberRef rMemberRefs[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumMethodImpls)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdToken rMethodBody[],
        mdToken rMethodDecl[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*EnumPermissionSets)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdToken tk,
        DWORD dwActions,
        mdPermission rPermission[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*FindMember)(
        IMetaDataImport2 *This,
        mdTypeDef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdToken *pmb);
    HRESULT (*FindMethod)(
        IMetaDataImport2 *This,
        mdTypeDef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdMethodDef *pmb);
    HRESULT (*FindField)(
        IMetaDataImport2 *This,
        mdTypeDef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdFieldDef *pmb);
    HRESULT (*FindMemberRef)(
        IMetaDataImport2 *This,
        mdTypeRef td,
        LPCWSTR szName,
        PCCOR_SIGNATURE pvSigBlob,
        ULONG cbSigBlob,
        mdMemberRef *pmr);
    HRESULT (*GetMethodProps)(
        IMetaDataImport2 *This,
        mdMethodDef mb,
        mdTypeDef *pClass,
        LPWSTR szMethod,
        ULONG cchMethod,
        ULONG *pchMethod,
        DWORD *pdwAttr,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob,
        ULONG *pulCodeRVA,
        DWORD *pdwImplFlags);
    HRESULT (*GetMemberRefProps)(
        IMetaDataImport2 *This,
        mdMemberRef mr,
        mdToken *ptk,
        LPWSTR szMember,
        ULONG cchMember,
        ULONG *pchMember,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pbSig);
    HRESULT (*EnumProperties)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdProperty rProperties[],
        ULONG cMax,
        ULONG *pcProperties);
    HRESULT (*EnumEvents)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeDef td,
        mdEvent rEvents[],
        ULONG cMax,
        ULONG *pcEvents);
    HRESULT (*GetEventProps)(
        IMetaDataImport2 *This,
        mdEvent ev,
        mdTypeDef *pClass,
        LPCWSTR szEvent,
        ULONG cchEvent,
        ULONG *pchEvent,
        DWORD *pdwEventFlags,
        mdToken *ptkEventType,
        mdMethodDef *pmdAddOn,
        mdMethodDef *pmdRemoveOn,
        mdMethodDef *pmdFire,
        mdMethodDef rmdOtherMethod[],
        ULONG cMax,
        ULONG *pcOtherMethod);
    HRESULT (*EnumMethodSemantics)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdMethodDef mb,
        mdToken rEventProp[],
        ULONG cMax,
        ULONG *pcEventProp);
    HRESULT (*GetMethodSemantics)(
        IMetaDataImport2 *This,
        mdMethodDef mb,
        mdToken tkEventProp,
        DWORD *pdwSemanticsFlags);
    HRESULT (*GetClassLayout)(
        IMetaDataImport2 *This,
        mdTypeDef td,
        DWORD *pdwPackSize,
        COR_FIELD_OFFSET rFieldOffset[],
        ULONG cMax,
        ULONG *pcFieldOffset,
        ULONG *pulClassSize);
    HRESULT (*GetFieldMarshal)(
        IMetaDataImport2 *This,
        mdToken tk,
        PCCOR_SIGNATURE *ppvNativeType,
        ULONG *pcbNativeType);
    HRESULT (*GetRVA)(IMetaDataImport2 *This, mdToken tk, ULONG *pulCodeRVA, DWORD *pdwImplFlags);
    HRESULT (*GetPermissionSetProps)(
        IMetaDataImport2 *This,
        mdPermission pm,
        DWORD *pdwAction,
        void const **ppvPermission,
        ULONG *pcbPermission);
    HRESULT (*GetSigFromToken)(
        IMetaDataImport2 *This,
        mdSignature mdSig,
        PCCOR_SIGNATURE *ppvSig,
        ULONG *pcbSig);
    HRESULT (*GetModuleRefProps)(
        IMetaDataImport2 *This,
        mdModuleRef mur,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName);
    HRESULT (*EnumModuleRefs)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdModuleRef rModuleRefs[],
        ULONG cmax,
        ULONG *pcModuleRefs);
    HRESULT (*GetTypeSpecFromToken)(
        IMetaDataImport2 *This,
        mdTypeSpec typespec,
        PCCOR_SIGNATURE *ppvSig,
        ULONG *pcbSig);
    HRESULT (*GetNameFromToken)(IMetaDataImport2 *This, mdToken tk, MDUTF8CSTR *pszUtf8NamePtr);
    HRESULT (*EnumUnresolvedMethods)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdToken rMethods[],
        ULONG cMax,
        ULONG *pcTokens);
    HRESULT (*GetUserString)(
        IMetaDataImport2 *This,
        mdString stk,
        LPWSTR szString,
        ULONG cchString,
        ULONG *pchString);
    HRESULT (*GetPinvokeMap)(
        IMetaDataImport2 *This,
        mdToken tk,
        DWORD *pdwMappingFlags,
        LPWSTR szImportName,
        ULONG cchImportName,
        ULONG *pchImportName,
        mdModuleRef *pmrImportDLL);
    HRESULT (*EnumSignatures)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdSignature rSignatures[],
        ULONG cmax,
        ULONG *pcSignatures);
    HRESULT (*EnumTypeSpecs)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdTypeSpec rTypeSpecs[],
        ULONG cmax,
        ULONG *pcTypeSpecs);
    HRESULT (*EnumUserStrings)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdString rStrings[],
        ULONG cmax,
        ULONG *pcStrings);
    HRESULT (*GetParamForMethodIndex)(
        IMetaDataImport2 *This,
        mdMethodDef md,
        ULONG ulParamSeq,
        mdParamDef *ppd);
    HRESULT (*EnumCustomAttributes)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdToken tk,
        mdToken tkType,
        mdCustomAttribute rCustomAttributes[],
        ULONG cMax,
        ULONG *pcCustomAttributes);
    HRESULT (*GetCustomAttributeProps)(
        IMetaDataImport2 *This,
        mdCustomAttribute cv,
        mdToken *ptkObj,
        mdToken *ptkType,
        void const **ppBlob,
        ULONG *pcbSize);
    HRESULT (*FindTypeRef)(
        IMetaDataImport2 *This,
        mdToken tkResolutionScope,
        LPCWSTR szName,
        mdTypeRef *ptr);
    HRESULT (*GetMemberProps)(
        IMetaDataImport2 *This,
        mdToken mb,
        mdTypeDef *pClass,
        LPWSTR szMember,
        ULONG cchMember,
        ULONG *pchMember,
        DWORD *pdwAttr,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob,
        ULONG *pulCodeRVA,
        DWORD *pdwImplFlags,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppValue,
        ULONG *pcchValue);
    HRESULT (*GetFieldProps)(
        IMetaDataImport2 *This,
        mdFieldDef mb,
        mdTypeDef *pClass,
        LPWSTR szField,
        ULONG cchField,
        ULONG *pchField,
        DWORD *pdwAttr,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppValue,
        ULONG *pcchValue);
    HRESULT (*GetPropertyProps)(
        IMetaDataImport2 *This,
        mdProperty prop,
        mdTypeDef *pClass,
        LPCWSTR szProperty,
        ULONG cchProperty,
        ULONG *pchProperty,
        DWORD *pdwPropFlags,
        PCCOR_SIGNATURE *ppvSig,
        ULONG *pbSig,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppDefaultValue,
        ULONG *pcchDefaultValue,
        mdMethodDef *pmdSetter,
        mdMethodDef *pmdGetter,
        mdMethodDef rmdOtherMethod[],
        ULONG cMax,
        ULONG *pcOtherMethod);
    HRESULT (*GetParamProps)(
        IMetaDataImport2 *This,
        mdParamDef tk,
        mdMethodDef *pmd,
        ULONG *pulSequence,
        LPWSTR szName,
        ULONG cchName,
        ULONG *pchName,
        DWORD *pdwAttr,
        DWORD *pdwCPlusTypeFlag,
        UVCP_CONSTANT *ppValue,
        ULONG *pcchValue);
    HRESULT (*GetCustomAttributeByName)(
        IMetaDataImport2 *This,
        mdToken tkObj,
        LPCWSTR szName,
        const void **ppData,
        ULONG *pcbData);
    BOOL (*IsValidToken)(IMetaDataImport2 *This, mdToken tk);
    HRESULT (*GetNestedClassProps)(
        IMetaDataImport2 *This,
        mdTypeDef tdNestedClass,
        mdTypeDef *ptdEnclosingClass);
    HRESULT (*GetNativeCallConvFromSig)(
        IMetaDataImport2 *This,
        void const *pvSig,
        ULONG cbSig,
        ULONG *pCallConv);
    HRESULT (*IsGlobal)(IMetaDataImport2 *This, mdToken pd, int *pbGlobal);
    // IMetaDataImport2
    HRESULT (*EnumGenericParams)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdToken tk,
        mdGenericParam rGenericParams[],
        ULONG cMax,
        ULONG *pcGenericParams);
    HRESULT (*GetGenericParamProps)(
        IMetaDataImport2 *This,
        mdGenericParam gp,
        ULONG *pulParamSeq,
        DWORD *pdwParamFlags,
        mdToken *ptOwner,
        DWORD *reserved,
        LPWSTR wzname,
        ULONG cchName,
        ULONG *pchName);
    HRESULT (*GetMethodSpecProps)(
        IMetaDataImport2 *This,
        mdMethodSpec mi,
        mdToken *tkParent,
        PCCOR_SIGNATURE *ppvSigBlob,
        ULONG *pcbSigBlob);
    HRESULT (*EnumGenericParamConstraints)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdGenericParam tk,
        mdGenericParamConstraint rGenericParamConstraints[],
        ULONG cMax,
        ULONG *pcGenericParamConstraints);
    HRESULT (*GetGenericParamConstraintProps)(
        IMetaDataImport2 *This,
        mdGenericParamConstraint gpc,
        mdGenericParam *ptGenericParam,
        mdToken *ptkConstraintType);
    HRESULT (*GetPEKind)(IMetaDataImport2 *This, DWORD *pdwPEKind, DWORD *pdwMAchine);
    HRESULT (*GetVersionString)(
        IMetaDataImport2 *This,
        LPWSTR pwzBuf,
        DWORD ccBufSize,
        DWORD *pccBufSize);
    HRESULT (*EnumMethodSpecs)(
        IMetaDataImport2 *This,
        HCORENUM *phEnum,
        mdToken tk,
        mdMethodSpec rMethodSpecs[],
        ULONG cMax,
        ULONG *pcMethodSpecs);
} IMetaDataImport2Vtbl;
struct IMetaDataImport2 { const IMetaDataImport2Vtbl *lpVtbl; };
extern const IID IID_IMetaDataImport2;
// ---- helpers (cordebug_iids.c) ---------------------------------------------------------------

// 1 if the two IIDs are the same, else 0.
int clr_iid_equal(const IID *a, const IID *b);

// The interface name for an IID declared above (e.g. "ICorDebugManagedCallback2"), for logs;
// NULL if the IID is not one of them. The string is static.
const char *clr_iid_name(const IID *iid);

#endif  // CORDBG_CLR_CORDEBUG_H
