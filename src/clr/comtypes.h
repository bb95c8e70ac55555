// comtypes.h — the Windows/COM base types as the CoreCLR PAL defines them on Linux x86-64,
// plus the plain (interface-free) enums and structs of the ICorDebug API.
// Pure declarations: no state, usable from any thread.
//
// Sources (dotnet/runtime):
//   src/coreclr/pal/inc/pal_mstypes.h  — LONG/ULONG/DWORD are 32-bit on LP64 ("diff from
//                                        windows.h, for LP64 compat"), WCHAR is 16-bit, BOOL is int
//   src/coreclr/inc/cordebug.idl       — the ICorDebug enums and structs below
//   src/coreclr/inc/corhdr.h, cor.h    — metadata tokens, CorElementType
//   src/coreclr/inc/corerror.xml       — CORDBG_* HRESULT values (FACILITY_URT = 0x13)
// Names are spelled exactly as the runtime spells them, so code and logs read like its sources.
#ifndef CORDBG_CLR_COMTYPES_H
#define CORDBG_CLR_COMTYPES_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

// ---- scalar types (pal_mstypes.h, LP64) ----------------------------------------------

typedef int32_t  HRESULT;
typedef int32_t  BOOL;
typedef uint8_t  BYTE;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef int32_t  LONG;  // 32-bit, unlike a Linux long
typedef uint32_t ULONG;  // 32-bit, unlike a Linux unsigned long
typedef uint32_t DWORD;
typedef uint32_t UINT;
typedef int32_t  INT;
typedef uint32_t ULONG32;
typedef int32_t  LONG32;
typedef uint64_t ULONG64;
typedef int64_t  LONG64;
typedef uint64_t UINT64;
typedef uint64_t ULONGLONG;
typedef int64_t  LONGLONG;
typedef size_t   SIZE_T;
typedef uintptr_t UINT_PTR;
typedef uintptr_t ULONG_PTR;
typedef intptr_t INT_PTR;
typedef void    *PVOID;
typedef void    *LPVOID;
typedef const void *LPCVOID;
typedef void    *HANDLE;

// WCHAR is UTF-16 on Linux too (the PAL's char16_t): 2 bytes, not wchar_t.
typedef uint16_t WCHAR;
typedef WCHAR   *LPWSTR;
typedef const WCHAR *LPCWSTR;

#ifndef TRUE
#define TRUE  1
#endif
#ifndef FALSE
#define FALSE 0
#endif

// ---- GUIDs -----------------------------------------------------------------------------

typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t  Data4[8];
} GUID;
typedef GUID IID;
typedef GUID CLSID;
// In C++ REFIID is `const IID &`, which is passed as a pointer: the same ABI.
typedef const GUID *REFIID;
typedef const GUID *REFGUID;
typedef const GUID *REFCLSID;

// ---- HRESULTs ----------------------------------------------------------------------------

#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr)    (((HRESULT)(hr)) < 0)

#define S_OK                    ((HRESULT)0x00000000)
#define S_FALSE                 ((HRESULT)0x00000001)
#define E_NOTIMPL               ((HRESULT)0x80004001u)
#define E_NOINTERFACE           ((HRESULT)0x80004002u)
#define E_POINTER               ((HRESULT)0x80004003u)
#define E_ABORT                 ((HRESULT)0x80004004u)
#define E_FAIL                  ((HRESULT)0x80004005u)
#define E_UNEXPECTED            ((HRESULT)0x8000FFFFu)
#define E_ACCESSDENIED          ((HRESULT)0x80070005u)
#define E_HANDLE                ((HRESULT)0x80070006u)
#define E_OUTOFMEMORY           ((HRESULT)0x8007000Eu)
#define E_INVALIDARG            ((HRESULT)0x80070057u)
// HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER = 122)
#define E_NOT_SUFFICIENT_BUFFER ((HRESULT)0x8007007Au)

#define FACILITY_URT 0x13

// corerror.xml: SMAKEHR(x) = 0x00130000 | x, EMAKEHR(x) = 0x80130000 | x
#define CORDBG_S_BAD_START_SEQUENCE_POINT   ((HRESULT)0x0013130Bu)
#define CORDBG_S_BAD_END_SEQUENCE_POINT     ((HRESULT)0x0013130Cu)
#define CORDBG_S_FUNC_EVAL_HAS_NO_RESULT    ((HRESULT)0x00131316u)
#define CORDBG_S_VALUE_POINTS_TO_VOID       ((HRESULT)0x00131317u)
#define CORDBG_S_FUNC_EVAL_ABORTED          ((HRESULT)0x00131319u)
#define CORDBG_S_AT_END_OF_STACK            ((HRESULT)0x00131324u)
#define CORDBG_S_NOT_ALL_BITS_SET           ((HRESULT)0x00131C13u)

#define CORDBG_E_UNRECOVERABLE_ERROR                        ((HRESULT)0x80131300u)
#define CORDBG_E_PROCESS_TERMINATED                         ((HRESULT)0x80131301u)
#define CORDBG_E_PROCESS_NOT_SYNCHRONIZED                   ((HRESULT)0x80131302u)
#define CORDBG_E_CLASS_NOT_LOADED                           ((HRESULT)0x80131303u)
#define CORDBG_E_IL_VAR_NOT_AVAILABLE                       ((HRESULT)0x80131304u)
#define CORDBG_E_BAD_REFERENCE_VALUE                        ((HRESULT)0x80131305u)
#define CORDBG_E_FIELD_NOT_AVAILABLE                        ((HRESULT)0x80131306u)
#define CORDBG_E_NON_NATIVE_FRAME                           ((HRESULT)0x80131307u)
#define CORDBG_E_CODE_NOT_AVAILABLE                         ((HRESULT)0x80131309u)
#define CORDBG_E_FUNCTION_NOT_IL                            ((HRESULT)0x8013130Au)
#define CORDBG_E_CANT_SET_IP_INTO_FINALLY                   ((HRESULT)0x8013130Eu)
#define CORDBG_E_CANT_SET_IP_OUT_OF_FINALLY                 ((HRESULT)0x8013130Fu)
#define CORDBG_E_CANT_SET_IP_INTO_CATCH                     ((HRESULT)0x80131310u)
#define CORDBG_E_SET_IP_NOT_ALLOWED_ON_NONLEAF_FRAME        ((HRESULT)0x80131311u)
#define CORDBG_E_SET_IP_IMPOSSIBLE                          ((HRESULT)0x80131312u)
#define CORDBG_E_FUNC_EVAL_BAD_START_POINT                  ((HRESULT)0x80131313u)
#define CORDBG_E_INVALID_OBJECT                             ((HRESULT)0x80131314u)
#define CORDBG_E_FUNC_EVAL_NOT_COMPLETE                     ((HRESULT)0x80131315u)
#define CORDBG_E_STATIC_VAR_NOT_AVAILABLE                   ((HRESULT)0x8013131Au)
#define CORDBG_E_CANT_SETIP_INTO_OR_OUT_OF_FILTER           ((HRESULT)0x8013131Cu)
#define CORDBG_E_CANT_CHANGE_JIT_SETTING_FOR_ZAP_MODULE     ((HRESULT)0x8013131Du)
#define CORDBG_E_CANT_SET_IP_OUT_OF_FINALLY_ON_WIN64        ((HRESULT)0x8013131Eu)
#define CORDBG_E_CANT_SET_IP_OUT_OF_CATCH_ON_WIN64          ((HRESULT)0x8013131Fu)
#define CORDBG_E_CANT_SET_TO_JMC                            ((HRESULT)0x80131323u)
#define CORDBG_E_NO_CONTEXT_FOR_INTERNAL_FRAME              ((HRESULT)0x80131325u)
#define CORDBG_E_NOT_CHILD_FRAME                            ((HRESULT)0x80131326u)
#define CORDBG_E_NON_MATCHING_CONTEXT                       ((HRESULT)0x80131327u)
#define CORDBG_E_PAST_END_OF_STACK                          ((HRESULT)0x80131328u)
#define CORDBG_E_FUNC_EVAL_CANNOT_UPDATE_REGISTER_IN_NONLEAF_FRAME ((HRESULT)0x80131329u)
#define CORDBG_E_BAD_THREAD_STATE                           ((HRESULT)0x8013132Du)
#define CORDBG_E_DEBUGGER_ALREADY_ATTACHED                  ((HRESULT)0x8013132Eu)
#define CORDBG_E_SUPERFLOUS_CONTINUE                        ((HRESULT)0x8013132Fu)
#define CORDBG_E_SET_VALUE_NOT_ALLOWED_ON_NONLEAF_FRAME     ((HRESULT)0x80131330u)
#define CORDBG_E_ENC_MODULE_NOT_ENC_ENABLED                 ((HRESULT)0x80131332u)
#define CORDBG_E_SET_IP_NOT_ALLOWED_ON_EXCEPTION            ((HRESULT)0x80131333u)
#define CORDBG_E_VARIABLE_IS_ACTUALLY_LITERAL               ((HRESULT)0x80131334u)
#define CORDBG_E_PROCESS_DETACHED                           ((HRESULT)0x80131335u)
#define CORDBG_E_ENC_CANT_ADD_FIELD_TO_VALUE_OR_LAYOUT_CLASS ((HRESULT)0x80131338u)
#define CORDBG_E_FIELD_NOT_STATIC                           ((HRESULT)0x8013133Bu)
#define CORDBG_E_FIELD_NOT_INSTANCE                         ((HRESULT)0x8013133Cu)
#define CORDBG_E_ENC_JIT_CANT_UPDATE                        ((HRESULT)0x8013133Fu)
#define CORDBG_E_ENC_INTERNAL_ERROR                         ((HRESULT)0x80131341u)
#define CORDBG_E_ENC_HANGING_FIELD                          ((HRESULT)0x80131342u)
#define CORDBG_E_MODULE_NOT_LOADED                          ((HRESULT)0x80131343u)
#define CORDBG_E_UNABLE_TO_SET_BREAKPOINT                   ((HRESULT)0x80131345u)
#define CORDBG_E_DEBUGGING_NOT_POSSIBLE                     ((HRESULT)0x80131346u)
#define CORDBG_E_KERNEL_DEBUGGER_ENABLED                    ((HRESULT)0x80131347u)
#define CORDBG_E_KERNEL_DEBUGGER_PRESENT                    ((HRESULT)0x80131348u)
#define CORDBG_E_INCOMPATIBLE_PROTOCOL                      ((HRESULT)0x8013134Bu)
#define CORDBG_E_TOO_MANY_PROCESSES                         ((HRESULT)0x8013134Cu)
#define CORDBG_E_INTEROP_NOT_SUPPORTED                      ((HRESULT)0x8013134Du)
#define CORDBG_E_NO_REMAP_BREAKPIONT                        ((HRESULT)0x8013134Eu)
#define CORDBG_E_OBJECT_NEUTERED                            ((HRESULT)0x8013134Fu)
#define CORDBG_E_THREAD_NOT_SCHEDULED                       ((HRESULT)0x80131C00u)
#define CORDBG_E_HANDLE_HAS_BEEN_DISPOSED                   ((HRESULT)0x80131C01u)
#define CORDBG_E_NONINTERCEPTABLE_EXCEPTION                 ((HRESULT)0x80131C02u)
#define CORDBG_E_INTERCEPT_FRAME_ALREADY_SET                ((HRESULT)0x80131C04u)
#define CORDBG_E_NO_NATIVE_PATCH_AT_ADDR                    ((HRESULT)0x80131C05u)
#define CORDBG_E_MUST_BE_INTEROP_DEBUGGING                  ((HRESULT)0x80131C06u)
#define CORDBG_E_NATIVE_PATCH_ALREADY_AT_ADDR               ((HRESULT)0x80131C07u)
#define CORDBG_E_TIMEOUT                                    ((HRESULT)0x80131C08u)
#define CORDBG_E_CANT_CALL_ON_THIS_THREAD                   ((HRESULT)0x80131C09u)
#define CORDBG_E_ENC_INFOLESS_METHOD                        ((HRESULT)0x80131C0Au)
#define CORDBG_E_ENC_IN_FUNCLET                             ((HRESULT)0x80131C0Cu)
#define CORDBG_E_ENC_EDIT_NOT_SUPPORTED                     ((HRESULT)0x80131C0Eu)
#define CORDBG_E_NOTREADY                                   ((HRESULT)0x80131C10u)
#define CORDBG_E_CANNOT_RESOLVE_ASSEMBLY                    ((HRESULT)0x80131C11u)
#define CORDBG_E_MUST_BE_IN_LOAD_MODULE                     ((HRESULT)0x80131C12u)
#define CORDBG_E_CANNOT_BE_ON_ATTACH                        ((HRESULT)0x80131C13u)
#define CORDBG_E_NGEN_NOT_SUPPORTED                         ((HRESULT)0x80131C14u)
#define CORDBG_E_ILLEGAL_SHUTDOWN_ORDER                     ((HRESULT)0x80131C15u)
#define CORDBG_E_CANNOT_DEBUG_FIBER_PROCESS                 ((HRESULT)0x80131C16u)
#define CORDBG_E_MUST_BE_IN_CREATE_PROCESS                  ((HRESULT)0x80131C17u)
#define CORDBG_E_DETACH_FAILED_OUTSTANDING_EVALS            ((HRESULT)0x80131C18u)
#define CORDBG_E_DETACH_FAILED_OUTSTANDING_STEPPERS         ((HRESULT)0x80131C19u)
#define CORDBG_E_CANT_INTEROP_STEP_OUT                      ((HRESULT)0x80131C20u)
#define CORDBG_E_DETACH_FAILED_OUTSTANDING_BREAKPOINTS      ((HRESULT)0x80131C21u)
#define CORDBG_E_ILLEGAL_IN_STACK_OVERFLOW                  ((HRESULT)0x80131C22u)
#define CORDBG_E_ILLEGAL_AT_GC_UNSAFE_POINT                 ((HRESULT)0x80131C23u)
#define CORDBG_E_ILLEGAL_IN_PROLOG                          ((HRESULT)0x80131C24u)
#define CORDBG_E_ILLEGAL_IN_NATIVE_CODE                     ((HRESULT)0x80131C25u)
#define CORDBG_E_ILLEGAL_IN_OPTIMIZED_CODE                  ((HRESULT)0x80131C26u)
#define CORDBG_E_APPDOMAIN_MISMATCH                         ((HRESULT)0x80131C28u)
#define CORDBG_E_CONTEXT_UNVAILABLE                         ((HRESULT)0x80131C29u)
#define CORDBG_E_INCOMPATIBLE_PLATFORMS                     ((HRESULT)0x80131C30u)
#define CORDBG_E_DEBUGGING_DISABLED                         ((HRESULT)0x80131C31u)
#define CORDBG_E_DETACH_FAILED_ON_ENC                       ((HRESULT)0x80131C32u)
#define CORDBG_E_CURRENT_EXCEPTION_IS_OUTSIDE_CURRENT_EXECUTION_SCOPE ((HRESULT)0x80131C33u)
#define CORDBG_E_HELPER_MAY_DEADLOCK                        ((HRESULT)0x80131C34u)
#define CORDBG_E_MISSING_METADATA                           ((HRESULT)0x80131C35u)
#define CORDBG_E_TARGET_INCONSISTENT                        ((HRESULT)0x80131C36u)
#define CORDBG_E_DETACH_FAILED_OUTSTANDING_TARGET_RESOURCES ((HRESULT)0x80131C37u)
#define CORDBG_E_TARGET_READONLY                            ((HRESULT)0x80131C38u)
#define CORDBG_E_MISMATCHED_CORWKS_AND_DACWKS_DLLS          ((HRESULT)0x80131C39u)
#define CORDBG_E_MODULE_LOADED_FROM_DISK                    ((HRESULT)0x80131C3Au)
#define CORDBG_E_SYMBOLS_NOT_AVAILABLE                      ((HRESULT)0x80131C3Bu)
#define CORDBG_E_DEBUG_COMPONENT_MISSING                    ((HRESULT)0x80131C3Cu)
#define CORDBG_E_LIBRARY_PROVIDER_ERROR                     ((HRESULT)0x80131C43u)
#define CORDBG_E_NOT_CLR                                    ((HRESULT)0x80131C44u)
#define CORDBG_E_MISSING_DATA_TARGET_INTERFACE              ((HRESULT)0x80131C45u)
#define CORDBG_E_UNSUPPORTED_DEBUGGING_MODEL                ((HRESULT)0x80131C46u)
#define CORDBG_E_UNSUPPORTED_FORWARD_COMPAT                 ((HRESULT)0x80131C47u)
#define CORDBG_E_UNSUPPORTED_VERSION_STRUCT                 ((HRESULT)0x80131C48u)
#define CORDBG_E_READVIRTUAL_FAILURE                        ((HRESULT)0x80131C49u)
#define CORDBG_E_VALUE_POINTS_TO_FUNCTION                   ((HRESULT)0x80131C4Au)
#define CORDBG_E_CORRUPT_OBJECT                             ((HRESULT)0x80131C4Bu)
#define CORDBG_E_GC_STRUCTURES_INVALID                      ((HRESULT)0x80131C4Cu)
#define CORDBG_E_INVALID_OPCODE                             ((HRESULT)0x80131C4Du)
#define CORDBG_E_UNSUPPORTED                                ((HRESULT)0x80131C4Eu)
#define CORDBG_E_MISSING_DEBUGGER_EXPORTS                   ((HRESULT)0x80131C4Fu)
#define CORDBG_E_DATA_TARGET_ERROR                          ((HRESULT)0x80131C61u)
#define CORDBG_E_UNSUPPORTED_DELEGATE                       ((HRESULT)0x80131C68u)
#define CORDBG_E_ASSEMBLY_UPDATES_APPLIED                   ((HRESULT)0x80131C69u)

// Metadata (IMetaDataImport) results the debugger meets when reading names.
#define CLDB_S_TRUNCATION                                   ((HRESULT)0x00131106u)
#define CLDB_E_INDEX_NOTFOUND                               ((HRESULT)0x80131124u)
#define CLDB_E_RECORD_NOTFOUND                              ((HRESULT)0x80131130u)
#define META_E_BADMETADATA                                  ((HRESULT)0x8013118Au)

// ---- metadata tokens (corhdr.h) ---------------------------------------------------------

typedef uint32_t mdToken;
typedef mdToken mdModule;
typedef mdToken mdTypeRef;
typedef mdToken mdTypeDef;
typedef mdToken mdFieldDef;
typedef mdToken mdMethodDef;
typedef mdToken mdParamDef;
typedef mdToken mdInterfaceImpl;
typedef mdToken mdMemberRef;
typedef mdToken mdCustomAttribute;
typedef mdToken mdPermission;
typedef mdToken mdSignature;
typedef mdToken mdEvent;
typedef mdToken mdProperty;
typedef mdToken mdModuleRef;
typedef mdToken mdAssembly;
typedef mdToken mdAssemblyRef;
typedef mdToken mdFile;
typedef mdToken mdExportedType;
typedef mdToken mdManifestResource;
typedef mdToken mdTypeSpec;
typedef mdToken mdGenericParam;
typedef mdToken mdMethodSpec;
typedef mdToken mdGenericParamConstraint;
typedef mdToken mdString;
typedef mdToken mdCPToken;
typedef mdToken mdSourceFile;  // cordebug.idl

// CorTokenType: the table in the high byte of a token.
#define mdtModule                 0x00000000u
#define mdtTypeRef                0x01000000u
#define mdtTypeDef                0x02000000u
#define mdtFieldDef               0x04000000u
#define mdtMethodDef              0x06000000u
#define mdtParamDef               0x08000000u
#define mdtInterfaceImpl          0x09000000u
#define mdtMemberRef              0x0a000000u
#define mdtCustomAttribute        0x0c000000u
#define mdtPermission             0x0e000000u
#define mdtSignature              0x11000000u
#define mdtEvent                  0x14000000u
#define mdtProperty               0x17000000u
#define mdtMethodImpl             0x19000000u
#define mdtModuleRef              0x1a000000u
#define mdtTypeSpec               0x1b000000u
#define mdtAssembly               0x20000000u
#define mdtAssemblyRef            0x23000000u
#define mdtFile                   0x26000000u
#define mdtExportedType           0x27000000u
#define mdtManifestResource       0x28000000u
#define mdtGenericParam           0x2a000000u
#define mdtMethodSpec             0x2b000000u
#define mdtGenericParamConstraint 0x2c000000u
#define mdtString                 0x70000000u
#define mdtName                   0x71000000u
#define mdtBaseType               0x72000000u

#define RidFromToken(tk)     ((uint32_t)((tk) & 0x00ffffffu))
#define TypeFromToken(tk)    ((uint32_t)((tk) & 0xff000000u))
#define TokenFromRid(rid, t) ((uint32_t)((rid) | (t)))
#define IsNilToken(tk)       (RidFromToken(tk) == 0)

#define mdTokenNil      ((mdToken)0)
#define mdModuleNil     ((mdModule)mdtModule)
#define mdTypeRefNil    ((mdTypeRef)mdtTypeRef)
#define mdTypeDefNil    ((mdTypeDef)mdtTypeDef)
#define mdFieldDefNil   ((mdFieldDef)mdtFieldDef)
#define mdMethodDefNil  ((mdMethodDef)mdtMethodDef)
#define mdMemberRefNil  ((mdMemberRef)mdtMemberRef)
#define mdSignatureNil  ((mdSignature)mdtSignature)
#define mdTypeSpecNil   ((mdTypeSpec)mdtTypeSpec)
#define mdStringNil     ((mdString)mdtString)

typedef uint8_t COR_SIGNATURE;
typedef COR_SIGNATURE *PCOR_SIGNATURE;
typedef const COR_SIGNATURE *PCCOR_SIGNATURE;

// cor.h types used by IMetaDataImport.
typedef void *HCORENUM;  // enumerator state; free with CloseEnum
typedef const void *UVCP_CONSTANT;  // pointer into the metadata blob heap
typedef const char *MDUTF8CSTR;
typedef struct COR_FIELD_OFFSET {
    mdFieldDef ridOfField;
    ULONG      ulOffset;
} COR_FIELD_OFFSET;

// corhdr.h CorElementType (an int-sized enum, as in C++).
typedef enum CorElementType {
    ELEMENT_TYPE_END            = 0x00,
    ELEMENT_TYPE_VOID           = 0x01,
    ELEMENT_TYPE_BOOLEAN        = 0x02,
    ELEMENT_TYPE_CHAR           = 0x03,
    ELEMENT_TYPE_I1             = 0x04,
    ELEMENT_TYPE_U1             = 0x05,
    ELEMENT_TYPE_I2             = 0x06,
    ELEMENT_TYPE_U2             = 0x07,
    ELEMENT_TYPE_I4             = 0x08,
    ELEMENT_TYPE_U4             = 0x09,
    ELEMENT_TYPE_I8             = 0x0a,
    ELEMENT_TYPE_U8             = 0x0b,
    ELEMENT_TYPE_R4             = 0x0c,
    ELEMENT_TYPE_R8             = 0x0d,
    ELEMENT_TYPE_STRING         = 0x0e,
    ELEMENT_TYPE_PTR            = 0x0f,
    ELEMENT_TYPE_BYREF          = 0x10,
    ELEMENT_TYPE_VALUETYPE      = 0x11,
    ELEMENT_TYPE_CLASS          = 0x12,
    ELEMENT_TYPE_VAR            = 0x13,
    ELEMENT_TYPE_ARRAY          = 0x14,
    ELEMENT_TYPE_GENERICINST    = 0x15,
    ELEMENT_TYPE_TYPEDBYREF     = 0x16,
    ELEMENT_TYPE_I              = 0x18,
    ELEMENT_TYPE_U              = 0x19,
    ELEMENT_TYPE_FNPTR          = 0x1b,
    ELEMENT_TYPE_OBJECT         = 0x1c,
    ELEMENT_TYPE_SZARRAY        = 0x1d,
    ELEMENT_TYPE_MVAR           = 0x1e,
    ELEMENT_TYPE_CMOD_REQD      = 0x1f,
    ELEMENT_TYPE_CMOD_OPT       = 0x20,
    ELEMENT_TYPE_INTERNAL       = 0x21,  // runtime-internal: followed by a TypeHandle
    ELEMENT_TYPE_CMOD_INTERNAL  = 0x22,  // runtime-internal (newer runtimes)
    ELEMENT_TYPE_MAX            = 0x23,
    ELEMENT_TYPE_MODIFIER       = 0x40,
    ELEMENT_TYPE_SENTINEL       = 0x01 | ELEMENT_TYPE_MODIFIER,
    ELEMENT_TYPE_PINNED         = 0x05 | ELEMENT_TYPE_MODIFIER
} CorElementType;

// ---- ICorDebug plain types (cordebug.idl, in IDL order) ----------------------------------

typedef ULONG64 CORDB_ADDRESS;  // every target address, zero-extended to 64 bits
typedef ULONG64 CORDB_REGISTER;
typedef DWORD   CORDB_CONTINUE_STATUS;
typedef UINT64  TASKID;
typedef DWORD   CONNID;
typedef HANDLE  HPROCESS;
typedef HANDLE  HTHREAD;

// Windows structures named only through pointers in the API (never dereferenced on Linux).
typedef struct _SECURITY_ATTRIBUTES *LPSECURITY_ATTRIBUTES;
typedef struct _STARTUPINFOW *LPSTARTUPINFOW;
typedef struct _PROCESS_INFORMATION *LPPROCESS_INFORMATION;
typedef struct _DEBUG_EVENT *LPDEBUG_EVENT;

typedef struct _COR_IL_MAP {
    ULONG32 oldOffset;
    ULONG32 newOffset;
    BOOL    fAccurate;
} COR_IL_MAP;

// Special values of COR_DEBUG_IL_TO_NATIVE_MAP.ilOffset (compare as (ULONG32)NO_MAPPING).
typedef enum CorDebugIlToNativeMappingTypes {
    NO_MAPPING = -1,
    PROLOG     = -2,
    EPILOG     = -3
} CorDebugIlToNativeMappingTypes;

typedef struct COR_DEBUG_IL_TO_NATIVE_MAP {
    ULONG32 ilOffset;
    ULONG32 nativeStartOffset;
    ULONG32 nativeEndOffset;
} COR_DEBUG_IL_TO_NATIVE_MAP;

typedef enum CorDebugJITCompilerFlags {
    CORDEBUG_JIT_DEFAULT              = 0x1,
    CORDEBUG_JIT_DISABLE_OPTIMIZATION = 0x3,
    CORDEBUG_JIT_ENABLE_ENC           = 0x7
} CorDebugJITCompilerFlags;

typedef enum CorDebugJITCompilerFlagsDecprecated {
    CORDEBUG_JIT_TRACK_DEBUG_INFO = 0x1
} CorDebugJITCompilerFlagsDeprecated;

typedef enum CorDebugNGENPolicy {
    DISABLE_LOCAL_NIC = 1
} CorDebugNGENPolicy;

typedef enum CorDebugBlockingReason {
    BLOCKING_NONE                     = 0x0,
    BLOCKING_MONITOR_CRITICAL_SECTION = 0x1,
    BLOCKING_MONITOR_EVENT            = 0x2
} CorDebugBlockingReason;

typedef enum CorDebugPlatform {
    CORDB_PLATFORM_WINDOWS_X86,
    CORDB_PLATFORM_WINDOWS_AMD64,
    CORDB_PLATFORM_WINDOWS_IA64,
    CORDB_PLATFORM_MAC_PPC,
    CORDB_PLATFORM_MAC_X86,
    CORDB_PLATFORM_WINDOWS_ARM,
    CORDB_PLATFORM_MAC_AMD64,
    CORDB_PLATFORM_WINDOWS_ARM64,
    CORDB_PLATFORM_POSIX_AMD64,
    CORDB_PLATFORM_POSIX_X86,
    CORDB_PLATFORM_POSIX_ARM,
    CORDB_PLATFORM_POSIX_ARM64,
    CORDB_PLATFORM_POSIX_LOONGARCH64,
    CORDB_PLATFORM_POSIX_RISCV64
} CorDebugPlatform;

typedef enum CorDebugStepReason {
    STEP_NORMAL,
    STEP_RETURN,
    STEP_CALL,
    STEP_EXCEPTION_FILTER,
    STEP_EXCEPTION_HANDLER,
    STEP_INTERCEPT,
    STEP_EXIT
} CorDebugStepReason;

typedef enum LoggingLevelEnum {
    LTraceLevel0  = 0,
    LTraceLevel1,
    LTraceLevel2,
    LTraceLevel3,
    LTraceLevel4,
    LStatusLevel0 = 20,
    LStatusLevel1,
    LStatusLevel2,
    LStatusLevel3,
    LStatusLevel4,
    LWarningLevel = 40,
    LErrorLevel   = 50,
    LPanicLevel   = 100
} LoggingLevelEnum;

typedef enum LogSwitchCallReason {
    SWITCH_CREATE,
    SWITCH_MODIFY,
    SWITCH_DELETE
} LogSwitchCallReason;

typedef enum CorDebugExceptionCallbackType {
    DEBUG_EXCEPTION_FIRST_CHANCE        = 1,
    DEBUG_EXCEPTION_USER_FIRST_CHANCE   = 2,
    DEBUG_EXCEPTION_CATCH_HANDLER_FOUND = 3,
    DEBUG_EXCEPTION_UNHANDLED           = 4
} CorDebugExceptionCallbackType;

typedef enum CorDebugExceptionFlags {
    DEBUG_EXCEPTION_NONE               = 0,
    DEBUG_EXCEPTION_CAN_BE_INTERCEPTED = 0x0001
} CorDebugExceptionFlags;

typedef enum CorDebugExceptionUnwindCallbackType {
    DEBUG_EXCEPTION_UNWIND_BEGIN = 1,
    DEBUG_EXCEPTION_INTERCEPTED  = 2
} CorDebugExceptionUnwindCallbackType;

typedef enum CorDebugCreateProcessFlags {
    DEBUG_NO_SPECIAL_OPTIONS = 0x0000
} CorDebugCreateProcessFlags;

typedef enum CorDebugHandleType {
    HANDLE_STRONG                  = 1,
    HANDLE_WEAK_TRACK_RESURRECTION = 2,
    HANDLE_PINNED                  = 3
} CorDebugHandleType;

typedef struct _COR_VERSION {
    DWORD dwMajor;
    DWORD dwMinor;
    DWORD dwBuild;
    DWORD dwSubBuild;
} COR_VERSION;

// ICorDebug2's CorDebugInterfaceVersion: the debuggerVersion argument of
// CoreCLRCreateCordbObject*. Only the version values are kept here.
typedef enum CorDebugInterfaceVersion {
    CorDebugInvalidVersion = 0,
    CorDebugVersion_1_0    = 1,
    CorDebugVersion_1_1    = 2,
    CorDebugVersion_2_0    = 3,
    CorDebugVersion_4_0    = 4,
    CorDebugVersion_4_5    = 5,
    CorDebugLatestVersion  = CorDebugVersion_4_5
} CorDebugInterfaceVersion;

typedef enum CorDebugThreadState {
    THREAD_RUN,
    THREAD_SUSPEND
} CorDebugThreadState;

typedef struct COR_TYPEID {
    UINT64 token1;
    UINT64 token2;
} COR_TYPEID;

typedef struct _COR_HEAPOBJECT {
    CORDB_ADDRESS address;
    ULONG64       size;
    COR_TYPEID    type;
} COR_HEAPOBJECT;

typedef enum CorDebugGenerationTypes {
    CorDebug_Gen0  = 0,
    CorDebug_Gen1  = 1,
    CorDebug_Gen2  = 2,
    CorDebug_LOH   = 3,
    CorDebug_POH   = 4,
    CorDebug_NonGC = INT_MAX
} CorDebugGenerationTypes;

typedef struct _COR_SEGMENT {
    CORDB_ADDRESS start;
    CORDB_ADDRESS end;
    CorDebugGenerationTypes type;
    ULONG heap;
} COR_SEGMENT;

typedef enum CorDebugGCType {
    CorDebugWorkstationGC,
    CorDebugServerGC
} CorDebugGCType;

typedef struct _COR_HEAPINFO {
    BOOL  areGCStructuresValid;
    DWORD pointerSize;
    DWORD numHeaps;
    BOOL  concurrent;
    CorDebugGCType gcType;
} COR_HEAPINFO;

typedef enum CorGCReferenceType {
    CorHandleStrong            = 1 << 0,
    CorHandleStrongPinning     = 1 << 1,
    CorHandleWeakShort         = 1 << 2,
    CorHandleWeakLong          = 1 << 3,
    CorHandleWeakRefCount      = 1 << 4,
    CorHandleStrongRefCount    = 1 << 5,
    CorHandleStrongDependent   = 1 << 6,
    CorHandleStrongAsyncPinned = 1 << 7,
    CorHandleStrongSizedByref  = 1 << 8,
    CorHandleWeakNativeCom     = 1 << 9,
    CorHandleWeakWinRT         = CorHandleWeakNativeCom,
    CorReferenceStack          = (int)0x80000001u,  // the IDL's 0x80000001
    CorReferenceFinalizer      = 80000002,  // decimal in the IDL, kept as is
    CorHandleStrongOnly        = 0x1E3,
    CorHandleWeakOnly          = 0x21C,
    CorHandleAll               = 0x7FFFFFFF
} CorGCReferenceType;

typedef struct COR_ARRAY_LAYOUT {
    COR_TYPEID     componentID;
    CorElementType componentType;
    ULONG32 firstElementOffset;
    ULONG32 elementSize;
    ULONG32 countOffset;
    ULONG32 rankSize;
    ULONG32 numRanks;
    ULONG32 rankOffset;
} COR_ARRAY_LAYOUT;

typedef struct COR_TYPE_LAYOUT {
    COR_TYPEID parentID;
    ULONG32 objectSize;
    ULONG32 numFields;
    ULONG32 boxOffset;
    CorElementType type;
} COR_TYPE_LAYOUT;

typedef struct COR_FIELD {
    mdFieldDef token;
    ULONG32    offset;
    COR_TYPEID id;
    CorElementType fieldType;
} COR_FIELD;

typedef enum CorDebugRecordFormat {
    FORMAT_WINDOWS_EXCEPTIONRECORD32 = 1,
    FORMAT_WINDOWS_EXCEPTIONRECORD64 = 2
} CorDebugRecordFormat;

typedef enum CorDebugDecodeEventFlagsWindows {
    IS_FIRST_CHANCE = 1
} CorDebugDecodeEventFlagsWindows;

typedef enum CorDebugDebugEventKind {
    DEBUG_EVENT_KIND_MODULE_LOADED                         = 1,
    DEBUG_EVENT_KIND_MODULE_UNLOADED                       = 2,
    DEBUG_EVENT_KIND_MANAGED_EXCEPTION_FIRST_CHANCE        = 3,
    DEBUG_EVENT_KIND_MANAGED_EXCEPTION_USER_FIRST_CHANCE   = 4,
    DEBUG_EVENT_KIND_MANAGED_EXCEPTION_CATCH_HANDLER_FOUND = 5,
    DEBUG_EVENT_KIND_MANAGED_EXCEPTION_UNHANDLED           = 6
} CorDebugDebugEventKind;

typedef enum CorDebugStateChange {
    PROCESS_RUNNING = 0x0000001,
    FLUSH_ALL       = 0x0000002
} CorDebugStateChange;

typedef enum CorDebugCodeInvokeKind {
    CODE_INVOKE_KIND_NONE,
    CODE_INVOKE_KIND_RETURN,
    CODE_INVOKE_KIND_TAILCALL
} CorDebugCodeInvokeKind;

typedef enum CorDebugCodeInvokePurpose {
    CODE_INVOKE_PURPOSE_NONE,
    CODE_INVOKE_PURPOSE_NATIVE_TO_MANAGED_TRANSITION,
    CODE_INVOKE_PURPOSE_CLASS_INIT,
    CODE_INVOKE_PURPOSE_INTERFACE_DISPATCH
} CorDebugCodeInvokePurpose;

typedef enum WriteableMetadataUpdateMode {
    LegacyCompatPolicy,
    AlwaysShowUpdates
} WriteableMetadataUpdateMode;

typedef struct _COR_MEMORY_RANGE {
    CORDB_ADDRESS start;  // inclusive
    CORDB_ADDRESS end;  // exclusive
} COR_MEMORY_RANGE;

typedef enum CorDebugIntercept {
    INTERCEPT_NONE             = 0x0,
    INTERCEPT_CLASS_INIT       = 0x01,
    INTERCEPT_EXCEPTION_FILTER = 0x02,
    INTERCEPT_SECURITY         = 0x04,
    INTERCEPT_CONTEXT_POLICY   = 0x08,
    INTERCEPT_INTERCEPTION     = 0x10,
    INTERCEPT_ALL              = 0xffff
} CorDebugIntercept;

typedef enum CorDebugUnmappedStop {
    STOP_NONE            = 0x0,
    STOP_PROLOG          = 0x01,
    STOP_EPILOG          = 0x02,
    STOP_NO_MAPPING_INFO = 0x04,
    STOP_OTHER_UNMAPPED  = 0x08,
    STOP_UNMANAGED       = 0x10,
    STOP_ALL             = 0xffff
} CorDebugUnmappedStop;

// Ranges are [startOffset, endOffset) from the start of the frame's code (IL by default).
typedef struct COR_DEBUG_STEP_RANGE {
    ULONG32 startOffset, endOffset;
} COR_DEBUG_STEP_RANGE;

// CorDebugRegister: only the architecture-neutral and AMD64 names are kept (this is an
// x86-64 debugger); the numbering is the IDL's.
typedef enum CorDebugRegister {
    REGISTER_INSTRUCTION_POINTER = 0,
    REGISTER_STACK_POINTER,
    REGISTER_FRAME_POINTER,

    REGISTER_AMD64_RIP = 0,
    REGISTER_AMD64_RSP,
    REGISTER_AMD64_RBP,
    REGISTER_AMD64_RAX,
    REGISTER_AMD64_RCX,
    REGISTER_AMD64_RDX,
    REGISTER_AMD64_RBX,
    REGISTER_AMD64_RSI,
    REGISTER_AMD64_RDI,
    REGISTER_AMD64_R8,
    REGISTER_AMD64_R9,
    REGISTER_AMD64_R10,
    REGISTER_AMD64_R11,
    REGISTER_AMD64_R12,
    REGISTER_AMD64_R13,
    REGISTER_AMD64_R14,
    REGISTER_AMD64_R15,
    REGISTER_AMD64_XMM0,
    REGISTER_AMD64_XMM1,
    REGISTER_AMD64_XMM2,
    REGISTER_AMD64_XMM3,
    REGISTER_AMD64_XMM4,
    REGISTER_AMD64_XMM5,
    REGISTER_AMD64_XMM6,
    REGISTER_AMD64_XMM7,
    REGISTER_AMD64_XMM8,
    REGISTER_AMD64_XMM9,
    REGISTER_AMD64_XMM10,
    REGISTER_AMD64_XMM11,
    REGISTER_AMD64_XMM12,
    REGISTER_AMD64_XMM13,
    REGISTER_AMD64_XMM14,
    REGISTER_AMD64_XMM15
} CorDebugRegister;

typedef enum CorDebugUserState {
    USER_STOP_REQUESTED    = 0x01,
    USER_SUSPEND_REQUESTED = 0x02,
    USER_BACKGROUND        = 0x04,
    USER_UNSTARTED         = 0x08,
    USER_STOPPED           = 0x10,
    USER_WAIT_SLEEP_JOIN   = 0x20,
    USER_SUSPENDED         = 0x40,
    USER_UNSAFE_POINT      = 0x80,
    USER_THREADPOOL        = 0x100
} CorDebugUserState;

typedef enum CorDebugSetContextFlag {
    SET_CONTEXT_FLAG_ACTIVE_FRAME = 0x1,
    SET_CONTEXT_FLAG_UNWIND_FRAME = 0x2
} CorDebugSetContextFlag;

typedef enum CorDebugChainReason {
    CHAIN_NONE             = 0x000,
    CHAIN_CLASS_INIT       = 0x001,
    CHAIN_EXCEPTION_FILTER = 0x002,
    CHAIN_SECURITY         = 0x004,
    CHAIN_CONTEXT_POLICY   = 0x008,
    CHAIN_INTERCEPTION     = 0x010,
    CHAIN_PROCESS_START    = 0x020,
    CHAIN_THREAD_START     = 0x040,
    CHAIN_ENTER_MANAGED    = 0x080,
    CHAIN_ENTER_UNMANAGED  = 0x100,
    CHAIN_DEBUGGER_EVAL    = 0x200,
    CHAIN_CONTEXT_SWITCH   = 0x400,
    CHAIN_FUNC_EVAL        = 0x800
} CorDebugChainReason;

typedef enum CorDebugInternalFrameType {
    STUBFRAME_NONE                 = 0x00000000,
    STUBFRAME_M2U                  = 0x00000001,
    STUBFRAME_U2M                  = 0x00000002,
    STUBFRAME_APPDOMAIN_TRANSITION = 0x00000003,
    STUBFRAME_LIGHTWEIGHT_FUNCTION = 0x00000004,
    STUBFRAME_FUNC_EVAL            = 0x00000005,
    STUBFRAME_INTERNALCALL         = 0x00000006,
    STUBFRAME_CLASS_INIT           = 0x00000007,
    STUBFRAME_EXCEPTION            = 0x00000008,
    STUBFRAME_SECURITY             = 0x00000009,
    STUBFRAME_JIT_COMPILATION      = 0x0000000a
} CorDebugInternalFrameType;

typedef enum CorDebugMappingResult {
    MAPPING_PROLOG           = 0x1,
    MAPPING_EPILOG           = 0x2,
    MAPPING_NO_INFO          = 0x4,
    MAPPING_UNMAPPED_ADDRESS = 0x8,
    MAPPING_EXACT            = 0x10,
    MAPPING_APPROXIMATE      = 0x20
} CorDebugMappingResult;

typedef enum ILCodeKind {
    ILCODE_ORIGINAL_IL = 0x1,
    ILCODE_REJIT_IL    = 0x2
} ILCodeKind;

typedef struct _CodeChunkInfo {
    CORDB_ADDRESS startAddr;
    ULONG32       length;
} CodeChunkInfo;

typedef struct _CorDebugEHClause {
    ULONG32 Flags;
    ULONG32 TryOffset;
    ULONG32 TryLength;
    ULONG32 HandlerOffset;
    ULONG32 HandlerLength;
    ULONG32 ClassToken;
    ULONG32 FilterOffset;
} CorDebugEHClause;

typedef enum VariableLocationType {
    VLT_REGISTER,
    VLT_REGISTER_RELATIVE,
    VLT_INVALID
} VariableLocationType;

typedef enum CorDebugMDAFlags {
    MDA_FLAG_SLIP = 0x2
} CorDebugMDAFlags;

#endif  // CORDBG_CLR_COMTYPES_H
