/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The activation web service's SOAP messages (the guide's Appendix A):
 * parsing a request with libxml2 (no network, no DTD, no entity: a
 * DOCTYPE stops the parser at once), building responses and faults with
 * libxml2, and the WSDL.
 *
 *   login(Adminname, Password)                     -> Token
 *   phoneproxy_activate(Token, Username, Ipaddr)   -> NOT-AUTHORIZED |
 *                                  Activate Failed | Activate Successful
 *   phoneproxy_inactivate(Token, Username)         -> NOT-AUTHORIZED |
 *                              Inactivate Failed | Inactivate Successful
 *   phoneproxy_login(Username, Password, Ipaddr)   -> Login Failed |
 *                                                     Login Successful
 *   phoneproxy_logout(Username, Password)          -> Logout Failed |
 *                                                     Logout Successful
 */
#ifndef PP_HTTPD_SOAP_H
#define PP_HTTPD_SOAP_H

#include <stddef.h>

#define PP_SOAP_BODY_MAX	(64u << 10)
#define PP_SOAP_VALUE_MAX	512
#define PP_SOAP_ARGS_MAX	3
#define PP_SOAP_NS		"urn:PhoneProxyActivation"
#define PP_SOAP11_ENV_NS	"http://schemas.xmlsoap.org/soap/envelope/"
#define PP_SOAP12_ENV_NS	"http://www.w3.org/2003/05/soap-envelope"

enum pp_soap_method {
	PP_SOAP_LOGIN,
	PP_SOAP_ACTIVATE,
	PP_SOAP_INACTIVATE,
	PP_SOAP_USER_LOGIN,
	PP_SOAP_USER_LOGOUT,
	PP_SOAP_NMETHODS
};

/* Result strings of Appendix A. */
#define PP_SOAP_NOT_AUTHORIZED		"NOT-AUTHORIZED"
#define PP_SOAP_ACTIVATE_FAILED		"Activate Failed"
#define PP_SOAP_ACTIVATE_OK		"Activate Successful"
#define PP_SOAP_INACTIVATE_FAILED	"Inactivate Failed"
#define PP_SOAP_INACTIVATE_OK		"Inactivate Successful"
#define PP_SOAP_LOGIN_FAILED		"Login Failed"
#define PP_SOAP_LOGIN_OK		"Login Successful"
#define PP_SOAP_LOGOUT_FAILED		"Logout Failed"
#define PP_SOAP_LOGOUT_OK		"Logout Successful"

/* Why a request is refused: the SOAP 1.1 fault code to answer with. */
enum pp_soap_error {
	PP_SOAP_OK = 0,
	PP_SOAP_ERR_CLIENT = -1,		/* soap:Client */
	PP_SOAP_ERR_VERSION = -2,		/* soap:VersionMismatch */
	PP_SOAP_ERR_MUST_UNDERSTAND = -3,	/* soap:MustUnderstand */
};

struct pp_soap_req {
	enum pp_soap_method method;
	/* In the method's argument order (see pp_soap_arg_names). */
	char *args[PP_SOAP_ARGS_MAX];
	int nargs;
};

/*
 * Parse a request body. Returns PP_SOAP_OK, or an error with err saying
 * what is wrong (for the faultstring).
 */
enum pp_soap_error pp_soap_parse(const char *buf, size_t len,
				 struct pp_soap_req *req, char *err,
				 size_t errlen);
/* Wipe (passwords) and free the arguments. */
void pp_soap_req_free(struct pp_soap_req *req);

const char *pp_soap_method_name(enum pp_soap_method m);
/* The argument names of a method, NULL terminated. */
const char *const *pp_soap_arg_names(enum pp_soap_method m);

/* A response whose result is text (free() *out). */
int pp_soap_response(enum pp_soap_method m, const char *result, char **out,
		     size_t *len);
/* A fault. */
int pp_soap_fault(enum pp_soap_error code, const char *reason, char **out,
		  size_t *len);
/* The WSDL, its service at location ("http://198.51.100.1/activation_service/"). */
int pp_soap_wsdl(const char *location, char **out, size_t *len);

/* Quiet libxml2's default error printing (call once). */
void pp_soap_init(void);

#endif /* PP_HTTPD_SOAP_H */
